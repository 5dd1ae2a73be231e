using System.Text;
using System.Text.Json;
using ContextLite.Node.Quotas;
using ContextLite.Search;
using ContextLite.Storage;
using ContextLite.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContextLite.Node.Api;

/// <summary>The documents API's checks and the shapes of its answers.</summary>
internal static partial class DocumentsApi
{
    /// <summary>
    /// The workspace's <c>max_storage_mb</c> against its bytes on disk plus this request's content, and its
    /// <c>max_memory_mb</c> against its vector index plus the rows this request will add (estimated at one chunk
    /// per <see cref="EstimatedBytesPerChunk"/> bytes of content, rounded up per document).
    /// </summary>
    private static ProblemHttpResult? CheckStorage(NodeServices node, WorkspaceId workspace, IEnumerable<DocumentInput> inputs)
    {
        var incoming = 0L;
        var chunks = 0L;
        int? dimension = null;
        foreach (var input in inputs)
        {
            var bytes = Encoding.UTF8.GetByteCount(input.Content);
            incoming += bytes;
            chunks += Math.Max(1, (bytes + EstimatedBytesPerChunk - 1) / EstimatedBytesPerChunk);
            dimension ??= input.Embedding?.Length;
        }

        var limits = node.Cluster.LimitsFor(workspace.Value);
        var existing = node.Catalog.TryOpen(workspace);
        if (QuotaProblems.CheckStorage(workspace, existing?.BytesOnDisk ?? 0, incoming, limits.MaxStorageMb) is { } full)
        {
            node.Telemetry.QuotaRefused(workspace.Value, QuotaLimits.MaxStorageMb);
            return full;
        }

        dimension = existing?.EmbeddingModel?.Dimension ?? dimension ?? node.Embeddings.Dimension;
        if (dimension is not > 0)
        {
            return null;
        }

        var indexBytes = existing is null ? 0 : node.Vectors.Get(existing)?.MemoryBytes ?? 0;
        var tooBig = QuotaProblems.CheckMemory(workspace, indexBytes, chunks * VectorIndex.BytesPerRow(dimension.Value), limits.MaxMemoryMb);
        if (tooBig is not null)
        {
            node.Telemetry.QuotaRefused(workspace.Value, QuotaLimits.MaxMemoryMb);
        }

        return tooBig;
    }

    /// <summary>512-token chunks at about three bytes a token: errs towards more chunks than English text makes.</summary>
    private const int EstimatedBytesPerChunk = 1536;

    private static List<string> Prevalidate(DocumentBody body, StorageOptions storage)
    {
        var errors = new List<string>();
        for (var i = 0; i < body.Items.Count; i++)
        {
            var item = body.Items[i];
            var error = item.Error ?? DocumentRules.Validate(item.Input!, storage);
            if (error is not null)
            {
                errors.Add(body.IsBatch && item.Error is null ? $"Item [{i}]: {error}" : error);
            }
        }

        return errors;
    }

    private static BatchWriteResponse ToBatch(WorkspaceId workspace, IReadOnlyList<UpsertResult> results)
    {
        var items = results.Select(r => new BatchItemResponse(
            r.Index, r.Id, r.Path, Status(r.Status),
            r.Status == UpsertStatus.Error ? null : r.Version,
            r.Status is UpsertStatus.Added or UpsertStatus.Updated ? r.Chunks : null,
            r.Status is UpsertStatus.Added or UpsertStatus.Updated ? r.Tokens : null,
            r.Error)).ToList();
        return new BatchWriteResponse(
            workspace.Value,
            results.Count(r => r.Status == UpsertStatus.Added),
            results.Count(r => r.Status == UpsertStatus.Updated),
            results.Count(r => r.Status == UpsertStatus.Unchanged),
            results.Count(r => r.Status == UpsertStatus.Error),
            items);
    }

    private static DocumentResponse ToResponse(DocumentRecord d) => new(
        d.Id, d.Path, d.Content, d.ContentHash, d.Tokens, d.ChunkCount,
        ParseMetadata(d.MetadataJson),
        d.CreatedAt, d.UpdatedAt, d.Version,
        d.Chunks?.Select(c => new ChunkResponse(c.Id, c.Ordinal, c.StartLine, c.EndLine, c.Tokens, c.Text)).ToList());

    private static JsonElement? ParseMetadata(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static string Status(UpsertStatus status) => status.ToString().ToLowerInvariant();

    private static bool TryParseFlag(string? raw, string name, bool fallback, out bool value, out ProblemHttpResult? problem)
    {
        problem = null;
        value = fallback;
        switch (raw?.Trim().ToLowerInvariant())
        {
            case null:
                return true;
            case "true" or "1" or "yes":
                value = true;
                return true;
            case "false" or "0" or "no":
                value = false;
                return true;
            default:
                problem = Problems.BadRequest($"'{name}' must be true or false; got '{raw}'.");
                return false;
        }
    }
}
