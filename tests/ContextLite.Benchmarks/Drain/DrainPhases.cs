namespace ContextLite.Benchmarks.Drain;

/// <summary>Assigns queries to <see cref="DrainPhase"/>s and names them for the report.</summary>
internal static class DrainPhases
{
    /// <summary>The phase of a query that started with <paramref name="embedded"/> of <paramref name="chunks"/> chunks embedded.</summary>
    public static DrainPhase Of(long embedded, long chunks, bool drained)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunks);
        if (drained)
        {
            return DrainPhase.AfterDrain;
        }

        if (embedded >= chunks)
        {
            return DrainPhase.Finishing;
        }

        // Integer arithmetic: exactly 25 % embedded is the second quarter, never a rounding accident.
        return (DrainPhase)Math.Clamp(Math.Max(0, embedded) * 4 / chunks, 0, 3);
    }

    /// <summary>The phase's row label.</summary>
    public static string Describe(DrainPhase phase) => phase switch
    {
        DrainPhase.FirstQuarter => "drain, 0–25 % embedded",
        DrainPhase.SecondQuarter => "drain, 25–50 % embedded",
        DrainPhase.ThirdQuarter => "drain, 50–75 % embedded",
        DrainPhase.FourthQuarter => "drain, 75–100 % embedded",
        DrainPhase.Finishing => "drain, all embedded, worker finishing",
        DrainPhase.AfterDrain => "after the drain",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
    };
}
