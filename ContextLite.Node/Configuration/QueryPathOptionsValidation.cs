using ContextLite.Embeddings;
using ContextLite.Search;
using ContextLite.Selection;
using Microsoft.Extensions.Options;

namespace ContextLite.Node.Configuration;

/// <summary>Checks the query-path settings that data annotations cannot: provider names, fusion and solver names.</summary>
internal sealed class QueryPathOptionsValidation : IValidateOptions<EmbeddingOptions>, IValidateOptions<SearchOptions>, IValidateOptions<SelectionOptions>
{
    public static IEnumerable<string> Problems(EmbeddingOptions options)
    {
        if (!EmbeddingOptions.Providers.Contains(options.Provider.ToLowerInvariant()))
        {
            yield return $"embeddings.provider '{options.Provider}' is unknown; use one of {string.Join(", ", EmbeddingOptions.Providers)}.";
        }

        if (options.Provider is "openai" or "ollama" && string.IsNullOrWhiteSpace(options.Model))
        {
            yield return $"embeddings.model is required when embeddings.provider is '{options.Provider}'.";
        }

        if (options.Provider == "openai" && string.IsNullOrWhiteSpace(options.ApiKey))
        {
            yield return "embeddings.api_key is required when embeddings.provider is 'openai'.";
        }

        if (options.Endpoint is not null && !Uri.TryCreate(options.Endpoint, UriKind.Absolute, out _))
        {
            yield return $"embeddings.endpoint '{options.Endpoint}' is not an absolute URL.";
        }
    }

    public static IEnumerable<string> Problems(SearchOptions options)
    {
        if (options.Fusion is not ("rrf" or "weighted"))
        {
            yield return $"search.fusion '{options.Fusion}' is unknown; use weighted or rrf.";
        }

        if (options.ResidualThreshold > options.SmtThreshold)
        {
            yield return $"search.residual_threshold {options.ResidualThreshold} must not exceed search.smt_threshold {options.SmtThreshold}.";
        }
    }

    public static IEnumerable<string> Problems(SelectionOptions options)
    {
        if (!ContextSelectors.TryGet(options.Solver, out _))
        {
            yield return $"selection.solver '{options.Solver}' is unknown; use one of {string.Join(", ", ContextSelectors.Names)}.";
        }
    }

    public ValidateOptionsResult Validate(string? name, EmbeddingOptions options) => Result(Problems(options));

    public ValidateOptionsResult Validate(string? name, SearchOptions options) => Result(Problems(options));

    public ValidateOptionsResult Validate(string? name, SelectionOptions options) => Result(Problems(options));

    private static ValidateOptionsResult Result(IEnumerable<string> problems)
    {
        var list = problems.ToList();
        return list.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(list);
    }
}
