using System.Diagnostics;
using System.Text.Json;
using ContextLite.Node.Caching;
using ContextLite.Node.Quotas;
using ContextLite.Search;
using ContextLite.Storage;
using ContextLite.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContextLite.Node.Api;

/// <summary>
/// <c>POST /api/v1/assemble</c> (also <c>/api/v1/context/assemble</c> for clients of the older API) and
/// <c>POST /api/v1/search</c>.
/// </summary>
/// <remarks>
/// Admission (<see cref="QuotaService"/>): an assemble reserves its <c>max_tokens</c> from the workspace's
/// <c>max_tokens_per_minute</c> bucket and refunds <c>max_tokens − total_tokens</c> when done; a search costs
/// <c>k × quotas:search_tokens_per_result</c> (50) tokens, not refunded. Both hold one of the workspace's
/// <c>max_concurrent_requests</c> leases and a node slot for their duration.
/// </remarks>
internal static class QueryApi
{
    private const string AssembleShape = "{\"query\": \"...\", \"max_tokens\": 4000, \"max_documents\": 10}";

    private const string AssembleExample = """
        {"query": "how are documents stored per workspace?", "max_tokens": 1500, "max_documents": 8, "mode": "auto", "explain": false}
        """;

    private const string AssembleDescription =
        "Retrieves candidates (BM25, vectors, clusters; the route depends on the lexical confidence) and chooses passages that "
        + "maximise relevance minus redundancy within `max_tokens` and `max_documents`. Fields: `query` (required), `max_tokens` "
        + "(4000), `max_documents` (10), `mode` (auto|lexical|semantic|hybrid), `solver` (auto|branch_and_bound|greedy|z3), "
        + "`include_content` (true), `explain` (false), `model_id`, `query_embedding`, `workspace_path`. The workspace's "
        + "quotas clamp the request (`limits`) and may refuse it (429 with `Retry-After`).";

    public static RouteGroupBuilder MapQueryApi(this RouteGroupBuilder api, ApiScope scope)
    {
        api.MapPost("/assemble", AssembleAsync)
            .Document(scope, "Assemble", "Query", "Assemble the best context for a question within a token budget", AssembleDescription, AssembleExample)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/context/assemble", AssembleAsync)
            .Document(scope, "AssembleContext", "Query", "Assemble context (the older API's path)", "The same as `POST /api/v1/assemble`. " + AssembleDescription, AssembleExample)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/search", SearchAsync)
            .Document(
                scope,
                "Search",
                "Query",
                "Ranked chunks for a query, without selection",
                "Fields: `query` (required), `k` (10; `max_results` is accepted too), `mode`, `include_content` (true), `query_embedding`. "
                + "Each hit has the fused score and its lexical and semantic scores and ranks.",
                """{"query": "workspace storage", "k": 5}""")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return api;
    }

    private static async Task<Results<Ok<AssembleResponse>, ProblemHttpResult>> AssembleAsync(
        HttpContext context, NodeServices node, ContextEngine engine, QuotaService quotas, AssembleCache cache, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ParseAsync(context.Request, AssembleShape, cancellationToken);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            return await RunAssembleAsync(context, document.RootElement, null, node, engine, quotas, cache, cancellationToken);
        }
    }

    /// <summary>
    /// An assemble request already parsed: the HTTP handler and the MCP tool both come here, so both get the same
    /// validation, workspace limits, quotas and cache. <paramref name="context"/> is the request whose path, headers
    /// and query name the workspace (a 429 sets its <c>Retry-After</c>); <paramref name="explicitWorkspace"/>, a
    /// workspace the caller names (an MCP tool argument), wins over the request's.
    /// </summary>
    internal static async Task<Results<Ok<AssembleResponse>, ProblemHttpResult>> RunAssembleAsync(
        HttpContext context, JsonElement body, string? explicitWorkspace, NodeServices node, ContextEngine engine, QuotaService quotas, AssembleCache cache,
        CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Problems.BadRequest($"The body must be a JSON object like {AssembleShape}.");
        }

        var fields = new JsonFields(body);
        var query = QueryFields.Read(fields, out var mode, out var embedding, out var workspacePath);
        var maxTokens = fields.Int("max_tokens", 1, ContextEngine.MaxBudgetTokens) ?? 4000;
        var maxDocuments = fields.Int("max_documents", 1, 10_000) ?? 10;
        var solver = fields.String("solver");
        var modelId = fields.String("model_id");
        var includeContent = fields.Bool("include_content") ?? true;
        var explain = fields.Bool("explain") ?? false;
        if (modelId is not null && !TiktokenCounter.TryGet(modelId, out _))
        {
            fields.Errors.Add($"'model_id' '{modelId}' has no token counter here; token counts are cl100k_base (gpt-4, gpt-3.5-turbo, text-embedding-3-*).");
        }

        if (fields.Errors.Count > 0)
        {
            return Problems.Invalid("Invalid assemble request", fields.Errors);
        }

        if (!WorkspaceContext.TryResolve(context, node.Resolver, explicitWorkspace, workspacePath, out var workspace, out var problem))
        {
            return problem;
        }

        if (node.Replication.CheckRead(workspace, context) is { } behind)
        {
            return behind;
        }

        // The workspace's limits cap what a request may ask for; the response reports both numbers.
        var limits = node.Cluster.LimitsFor(workspace.Value);
        var applied = new QueryLimitsResponse(
            maxDocuments, Math.Min(maxDocuments, limits.MaxDocumentsPerQuery), maxTokens, Math.Min(maxTokens, limits.MaxTokensPerMinute));
        (maxDocuments, maxTokens) = (applied.MaxDocumentsApplied, applied.MaxTokensApplied);
        var store = node.Catalog.TryOpen(workspace);
        if (store is null)
        {
            return Problems.NotFound($"Workspace '{workspace}' does not exist on node {node.Identity.NodeId}; add documents first.");
        }

        node.Catalog.Touch(workspace);
        var (admission, refusal) = await quotas.AdmitAsync(workspace.Value, maxTokens, cancellationToken);
        if (admission is null)
        {
            node.Telemetry.QuotaRefused(workspace.Value, refusal!.Limit);
            return QuotaProblems.TooManyRequests(context, refusal);
        }

        await using var admitted = admission;
        // HybridCache does not run the factory in this request's execution context (its spans started a trace
        // of their own): make the computation a child of this request explicitly.
        var requestActivity = Activity.Current;
        AssembleResponse response;
        try
        {
            // A cache hit is admitted like a miss: its max_tokens are reserved above and the unused part is
            // refunded below, so a cached answer costs its total_tokens against the bucket as a computed one would.
            response = await cache.GetOrAssembleAsync(
                store,
                new AssembleCacheRequest(query!, maxTokens, maxDocuments, mode, solver, includeContent, explain, modelId, embedding),
                AssembleUncachedAsync,
                cancellationToken);
        }
        catch (QueryRejectedException ex)
        {
            return ex.Conflict ? Problems.Conflict(ex.Message) : Problems.BadRequest(ex.Message);
        }

        admitted.Used = response.TotalTokens;
        node.Telemetry.Query(workspace.Value, "assemble");
        node.Telemetry.Assembled(workspace.Value, response.TotalTokens, response.Cache?.Status ?? CacheResponse.Bypass);
        return TypedResults.Ok(response with { NodeId = node.Identity.NodeId, Limits = applied });

        async Task<AssembleResponse> AssembleUncachedAsync(CancellationToken ct)
        {
            Activity.Current = requestActivity;
            var result = await engine.AssembleAsync(store, new AssembleRequest(query!, maxTokens, maxDocuments, mode, solver, explain, embedding), ct);
            var selection = result.Selection;
            node.Telemetry.Solved(workspace.Value, selection.Solver, selection.Status.ToString().ToLowerInvariant(), selection.Elapsed);
            node.Telemetry.Routed(workspace.Value, result.Retrieval.Route, result.Retrieval.ClustersUsed, result.Retrieval.QueryVector is not null);
            var documents = result.Passages.Select(p => new AssembledDocumentResponse(
                p.DocumentId, p.Path, p.StartLine, p.EndLine, includeContent ? p.Content : null, p.Tokens, Math.Round(p.Relevance, 6),
                p.LexicalScore, p.SemanticScore, p.Cluster >= 0 ? p.Cluster : null, p.ChunkIds, p.Reason,
                p.Duplicates.Count == 0 ? null : p.Duplicates.Select(d => new DuplicateResponse(d.DocumentId, d.Path, d.StartLine, d.EndLine, d.Similarity)).ToList())).ToList();
            return new AssembleResponse(
                workspace.Value,
                query!,
                documents,
                result.TotalTokens,
                documents.Count,
                result.Retrieval.Route,
                Math.Round(result.Retrieval.Confidence, 4),
                new SolverResponse(
                    selection.Solver,
                    selection.Status.ToString().ToLowerInvariant(),
                    Math.Round(selection.Objective, 6),
                    double.IsFinite(selection.Bound) ? Math.Round(selection.Bound, 6) : null,
                    double.IsFinite(selection.Gap) ? Math.Round(selection.Gap, 6) : null,
                    Math.Round(selection.Elapsed.TotalMilliseconds, 3),
                    result.Candidates,
                    selection.Nodes),
                Round(result.Retrieval.StageMilliseconds),
                node.Identity.NodeId,
                result.Retrieval.Note,
                Info(result.Retrieval, mode, store),
                result.Penalties?.Select(p => new PenaltyResponse(p.ChosenChunk, p.ChosenPath, p.RejectedChunk, p.RejectedPath, Math.Round(p.Penalty, 6))).ToList(),
                applied);
        }
    }

    private static async Task<Results<Ok<SearchResponse>, ProblemHttpResult>> SearchAsync(
        HttpContext context, NodeServices node, ContextEngine engine, QuotaService quotas, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ParseAsync(context.Request, "{\"query\": \"...\", \"k\": 10}", cancellationToken);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            return await RunSearchAsync(context, document.RootElement, null, node, engine, quotas, cancellationToken);
        }
    }

    /// <summary>A search request already parsed; see the assemble overload for the parameters.</summary>
    internal static async Task<Results<Ok<SearchResponse>, ProblemHttpResult>> RunSearchAsync(
        HttpContext context, JsonElement body, string? explicitWorkspace, NodeServices node, ContextEngine engine, QuotaService quotas,
        CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Problems.BadRequest("The body must be a JSON object like {\"query\": \"...\", \"k\": 10}.");
        }

        var fields = new JsonFields(body);
        var query = QueryFields.Read(fields, out var mode, out var embedding, out var workspacePath);
        var k = fields.Int("k", 1, 1000) ?? fields.Int("max_results", 1, 1000) ?? 10;
        var includeContent = fields.Bool("include_content") ?? true;
        if (fields.Errors.Count > 0)
        {
            return Problems.Invalid("Invalid search request", fields.Errors);
        }

        if (!WorkspaceContext.TryResolve(context, node.Resolver, explicitWorkspace, workspacePath, out var workspace, out var problem))
        {
            return problem;
        }

        if (node.Replication.CheckRead(workspace, context) is { } behind)
        {
            return behind;
        }

        var store = node.Catalog.TryOpen(workspace);
        if (store is null)
        {
            return Problems.NotFound($"Workspace '{workspace}' does not exist on node {node.Identity.NodeId}; add documents first.");
        }

        node.Catalog.Touch(workspace);
        var (admission, refusal) = await quotas.AdmitAsync(workspace.Value, (long)k * quotas.Options.SearchTokensPerResult, cancellationToken);
        if (admission is null)
        {
            node.Telemetry.QuotaRefused(workspace.Value, refusal!.Limit);
            return QuotaProblems.TooManyRequests(context, refusal);
        }

        await using var admitted = admission;
        admitted.Used = admitted.Reserved;
        RetrievalResult result;
        try
        {
            result = await engine.RetrieveAsync(store, query!, mode, k, embedding, includeContent, cancellationToken);
        }
        catch (QueryRejectedException ex)
        {
            return ex.Conflict ? Problems.Conflict(ex.Message) : Problems.BadRequest(ex.Message);
        }

        node.Telemetry.Query(workspace.Value, "search");
        node.Telemetry.Routed(workspace.Value, result.Route, result.ClustersUsed, result.QueryVector is not null);
        var hits = result.Chunks.Select(c => new SearchHitResponse(
            c.Chunk.Id, c.Chunk.DocumentId, c.Chunk.Path, c.Chunk.StartLine, c.Chunk.EndLine, c.Chunk.Tokens, Math.Round(c.Score, 6),
            c.LexicalScore, c.LexicalRank, c.SemanticScore, c.SemanticRank, c.Cluster >= 0 ? c.Cluster : null, c.Chunk.Text)).ToList();
        return TypedResults.Ok(new SearchResponse(
            workspace.Value, query!, result.Route, Math.Round(result.Confidence, 4), hits, Round(result.StageMilliseconds),
            node.Identity.NodeId, result.Note, Info(result, mode, store)));
    }

    private static RetrievalInfo Info(RetrievalResult result, RetrievalMode mode, WorkspaceStore store) =>
        new(mode.ToString().ToLowerInvariant(), result.ClustersUsed, result.NProbe, result.Chunks.Count, store.EmbeddingModel?.Model);

    private static Dictionary<string, double> Round(IReadOnlyDictionary<string, double> stages) =>
        stages.ToDictionary(p => p.Key, p => Math.Round(p.Value, 3), StringComparer.Ordinal);
}
