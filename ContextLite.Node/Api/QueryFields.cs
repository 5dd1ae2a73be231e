using ContextLite.Search;
using ContextLite.Storage;

namespace ContextLite.Node.Api;

/// <summary>The fields assemble and search share.</summary>
internal static class QueryFields
{
    public static string? Read(JsonFields fields, out RetrievalMode mode, out float[]? embedding, out string? workspacePath)
    {
        var query = fields.String("query", required: true);
        var modeText = fields.String("mode");
        embedding = fields.Vector("query_embedding", DocumentRules.MaxEmbeddingDimension);
        workspacePath = fields.String("workspace_path");
        mode = RetrievalMode.Auto;
        if (modeText is not null && !Enum.TryParse(modeText, ignoreCase: true, out mode) || !Enum.IsDefined(mode))
        {
            fields.Errors.Add($"'mode' '{modeText}' is unknown; use auto, lexical, semantic or hybrid.");
        }

        if (query is not null && string.IsNullOrWhiteSpace(query))
        {
            fields.Errors.Add("'query' must not be blank.");
        }

        return query;
    }
}
