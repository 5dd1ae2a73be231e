namespace ContextLite.Node.Quotas;

/// <summary>The answer of a token bucket to a reservation.</summary>
/// <param name="Granted">True when the tokens were taken.</param>
/// <param name="Remaining">Tokens left in the bucket after the answer.</param>
/// <param name="RetryAfter">When refused, how long until the bucket holds enough; zero when granted.</param>
internal readonly record struct TokenReservation(bool Granted, double Remaining, TimeSpan RetryAfter);
