using System.Text;

namespace ContextLite.Core.Tests.Storage;

/// <summary>Document bodies for storage tests: plain prose with chosen marker words, long enough to chunk.</summary>
internal static class StoreText
{
    private static readonly string[] s_filler =
    [
        "river", "stone", "cloud", "green", "quiet", "north", "table", "light", "paper", "window", "garden", "engine",
    ];

    /// <summary>About <paramref name="lines"/> lines of seeded prose, each line also carrying <paramref name="marker"/>.</summary>
    public static string Prose(int seed, int lines, string marker)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            for (var w = random.Next(6, 14); w > 0; w--)
            {
                text.Append(s_filler[random.Next(s_filler.Length)]).Append(' ');
            }

            text.Append(marker).Append(".\n");
            if (random.Next(4) == 0)
            {
                text.Append('\n');
            }
        }

        return text.ToString();
    }
}
