using System.Globalization;
using System.Text;

namespace ContextLite.Node.Tests.Fuzz;

/// <summary>
/// Writes JSON text by hand: a serializer would refuse lone surrogates and normalise numbers, and the point is to
/// send exactly what a hostile client could.
/// </summary>
public static class JsonText
{
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                default:
                    if (c < 0x20 || char.IsSurrogate(c) || c == 0x7f)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    public static string Object(IEnumerable<(string Name, string Value)> members) =>
        "{" + string.Join(",", members.Select(m => Quote(m.Name) + ":" + m.Value)) + "}";

    public static string Array(IEnumerable<string> values) => "[" + string.Join(",", values) + "]";
}
