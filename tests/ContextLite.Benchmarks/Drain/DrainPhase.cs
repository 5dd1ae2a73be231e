namespace ContextLite.Benchmarks.Drain;

/// <summary>Where the embedding queue stood when a query started.</summary>
internal enum DrainPhase
{
    /// <summary>Less than a quarter of the chunks had a vector.</summary>
    FirstQuarter,

    /// <summary>25–50 % of the chunks had a vector.</summary>
    SecondQuarter,

    /// <summary>50–75 % of the chunks had a vector.</summary>
    ThirdQuarter,

    /// <summary>75 % or more, but not all, of the chunks had a vector.</summary>
    FourthQuarter,

    /// <summary>Every chunk had a vector; the worker was still busy (the requeue after the last batch, a k-means build).</summary>
    Finishing,

    /// <summary>The worker was idle with every chunk embedded.</summary>
    AfterDrain,
}
