namespace ContextLite.Node.Quotas;

/// <summary>Why a request was not admitted.</summary>
/// <param name="Limit">The configuration key of the limit, e.g. <c>max_tokens_per_minute</c>.</param>
/// <param name="Detail">A sentence with the numbers, for the problem's detail.</param>
/// <param name="RetryAfter">When trying again can succeed.</param>
internal sealed record QuotaRefusal(string Limit, string Detail, TimeSpan RetryAfter);
