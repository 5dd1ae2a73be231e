using ContextLite.Cluster;
using ContextLite.Node.Replication;
using ContextLite.Storage;
using ContextLite.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ContextLite.Node.Api;

/// <summary><c>/api/v1/documents</c>: add, update, list, read and delete documents of a workspace.</summary>
internal static partial class DocumentsApi
{
    /// <summary>How many copies a write reached: <c>copies=2; required=2; epoch=1; seq=17; primary=node-1</c>.</summary>
    public const string ReplicationHeader = "X-ContextLite-Replication";

    public static RouteGroupBuilder MapDocumentsApi(this RouteGroupBuilder api, ApiScope scope)
    {
        const string Tag = "Documents";
        var documents = api.MapGroup("/documents");
        documents.MapPost("/", AddAsync)
            .Document(
                scope,
                "AddDocuments",
                Tag,
                "Add or update one document, or several all-or-nothing",
                "One document `{id?, path, content, metadata?, embedding?}` (201 new, 200 updated or unchanged), or an array / "
                + "`{\"documents\": [...]}` written all-or-nothing (400 lists every bad item; nothing is written). Upserts by `id`, "
                + "else by `path`; the same content, path and metadata again is `unchanged`.",
                """{"path": "docs/intro.md", "content": "# Intro\n\nContextLite stores documents per workspace.\n", "metadata": {"lang": "md"}}""")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage);
        documents.MapPost("/bulk", BulkAsync)
            .Document(
                scope,
                "AddDocumentsBulk",
                Tag,
                "Add or update documents, each on its own",
                "An array or `{\"documents\": [...], \"workspace_path\"?}`; each item succeeds or fails on its own and the answer "
                + "reports every item (`added`, `updated`, `unchanged`, `errors`, `results`).",
                """[{"path": "a.txt", "content": "first"}, {"path": "b.txt", "content": "second"}]""")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage);
        documents.MapGet("/", ListAsync)
            .Document(scope, "ListDocuments", Tag, "A page of documents",
                "Documents without content ordered by id; `limit` (1 to server.max_page_size, default 100), pass `next_cursor` back as `cursor`.");
        documents.MapGet("/{*id}", GetAsync)
            .Document(scope, "GetDocument", Tag, "One document",
                "Ids may contain `/`. `include_content` (true) and `include_chunks` (false, each chunk with its line range).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        documents.MapDelete("/{*id}", DeleteAsync)
            .Document(scope, "DeleteDocument", Tag, "Delete a document", "204, or 404 when the workspace has no such document.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>
    /// One document (201 when new, 200 when updated or unchanged) or an array written all-or-nothing:
    /// if any item is rejected nothing is written and the answer lists every problem.
    /// </summary>
    private static async Task<Results<Created<DocumentWriteResponse>, Ok<DocumentWriteResponse>, Ok<BatchWriteResponse>, ProblemHttpResult>> AddAsync(
        HttpContext context, NodeServices node, CancellationToken cancellationToken)
    {
        var (body, problem) = await DocumentBodyReader.ReadAsync(context.Request, node.Server.MaxDocumentsPerRequest, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!WorkspaceContext.TryResolve(context, node.Resolver, body!.WorkspacePath, out var workspace, out problem))
        {
            return problem;
        }

        var errors = Prevalidate(body, node.Storage);
        if (errors.Count > 0)
        {
            node.Telemetry.DocumentsRejected(workspace.Value, errors.Count);
            return Problems.Invalid(body.IsBatch ? "Invalid documents; nothing was written" : "Invalid document", errors);
        }

        if (CheckStorage(node, workspace, body.Items.Select(i => i.Input!)) is { } full)
        {
            return full;
        }

        var (refused, primary) = await node.Replication.CheckWriteAsync(workspace, context);
        if (refused is not null)
        {
            return refused;
        }

        var store = node.Catalog.OpenOrCreate(workspace);
        node.Catalog.Touch(workspace);
        var results = await store.UpsertAsync(body.Items.Select(i => i.Input!).ToList(), atomic: true, cancellationToken);
        var failed = results.Where(r => r.Status == UpsertStatus.Error && !r.Error!.StartsWith("Not written", StringComparison.Ordinal)).ToList();
        if (failed.Count > 0)
        {
            node.Telemetry.DocumentsRejected(workspace.Value, failed.Count);
            var messages = failed.Select(r => body.IsBatch ? $"Item [{r.Index}]: {r.Error}" : r.Error!).ToList();
            return failed.Any(r => r.Conflict) ? Problems.Conflict(string.Join(" ", messages)) : Problems.Invalid("Invalid document", messages);
        }

        node.Telemetry.DocumentsWritten(workspace.Value, results.Count(r => r.Status is UpsertStatus.Added or UpsertStatus.Updated));
        var replicated = await ReplicateAsync(context, node, workspace, store, primary, cancellationToken);
        if (body.IsBatch)
        {
            return TypedResults.Ok(ToBatch(workspace, results) with { Replication = replicated });
        }

        var one = results[0];
        var response = new DocumentWriteResponse(workspace.Value, one.Id!, one.Path!, Status(one.Status), one.Version, one.Chunks, one.Tokens)
        {
            Replication = replicated,
        };
        return one.Status == UpsertStatus.Added
            ? TypedResults.Created($"/workspace/{workspace.Value}/api/v1/documents/{Uri.EscapeDataString(one.Id!)}", response)
            : TypedResults.Ok(response);
    }

    /// <summary>A batch where each item succeeds or fails on its own; the answer reports every item.</summary>
    private static async Task<Results<Ok<BatchWriteResponse>, ProblemHttpResult>> BulkAsync(
        HttpContext context, NodeServices node, CancellationToken cancellationToken)
    {
        var (body, problem) = await DocumentBodyReader.ReadAsync(context.Request, node.Server.MaxDocumentsPerRequest, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return await RunBulkAsync(context, body!, null, node, cancellationToken);
    }

    /// <summary>
    /// A bulk write already read: the HTTP handler and the MCP <c>add_documents</c> tool both come here, so both get
    /// the same validation and storage quota. <paramref name="explicitWorkspace"/> (a tool argument) wins over the request's.
    /// </summary>
    internal static async Task<Results<Ok<BatchWriteResponse>, ProblemHttpResult>> RunBulkAsync(
        HttpContext context, DocumentBody body, string? explicitWorkspace, NodeServices node, CancellationToken cancellationToken)
    {
        if (!WorkspaceContext.TryResolve(context, node.Resolver, explicitWorkspace, body.WorkspacePath, out var workspace, out var problem))
        {
            return problem;
        }

        var results = new UpsertResult[body.Items.Count];
        var valid = new List<(int Index, DocumentInput Input)>();
        for (var i = 0; i < body.Items.Count; i++)
        {
            var item = body.Items[i];
            var error = item.Error ?? DocumentRules.Validate(item.Input!, node.Storage);
            if (error is null)
            {
                valid.Add((i, item.Input!));
            }
            else
            {
                results[i] = new UpsertResult(i, item.Id, item.Path, UpsertStatus.Error, Error: error);
            }
        }

        if (CheckStorage(node, workspace, valid.Select(v => v.Input)) is { } full)
        {
            return full;
        }

        var (refused, primary) = await node.Replication.CheckWriteAsync(workspace, context);
        if (refused is not null)
        {
            return refused;
        }

        ReplicationReport? replicated = null;
        if (valid.Count > 0)
        {
            var store = node.Catalog.OpenOrCreate(workspace);
            node.Catalog.Touch(workspace);
            var written = await store.UpsertAsync(valid.Select(v => v.Input).ToList(), atomic: false, cancellationToken);
            for (var j = 0; j < written.Count; j++)
            {
                results[valid[j].Index] = written[j] with { Index = valid[j].Index };
            }

            replicated = await ReplicateAsync(context, node, workspace, store, primary, cancellationToken);
        }

        var batch = ToBatch(workspace, results) with { Replication = replicated };
        node.Telemetry.DocumentsWritten(workspace.Value, batch.Added + batch.Updated);
        node.Telemetry.DocumentsRejected(workspace.Value, batch.Errors);
        return TypedResults.Ok(batch);
    }

    private static async Task<Results<Ok<DocumentListResponse>, ProblemHttpResult>> ListAsync(
        HttpContext context, NodeServices node, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!WorkspaceContext.TryResolve(context, node.Resolver, null, out var workspace, out var problem))
        {
            return problem;
        }

        if (node.Replication.CheckRead(workspace, context) is { } behind)
        {
            return behind;
        }

        var size = 100;
        if (limit is not null && (!int.TryParse(limit, out size) || size < 1 || size > node.Server.MaxPageSize))
        {
            return Problems.BadRequest($"'limit' must be a whole number from 1 to {node.Server.MaxPageSize}; got '{limit}'.");
        }

        var store = node.Catalog.TryOpen(workspace);
        if (store is null)
        {
            return TypedResults.Ok(new DocumentListResponse(workspace.Value, 0, 0, null, []));
        }

        node.Catalog.Touch(workspace);
        var page = await store.ListDocumentsAsync(size, cursor, cancellationToken);
        var items = page.Items.Select(d => ToResponse(d)).ToList();
        return TypedResults.Ok(new DocumentListResponse(workspace.Value, page.Total, items.Count, page.NextCursor, items));
    }

    private static async Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> GetAsync(
        HttpContext context,
        NodeServices node,
        string id,
        [FromQuery(Name = "include_content")] string? includeContent,
        [FromQuery(Name = "include_chunks")] string? includeChunks,
        CancellationToken cancellationToken)
    {
        if (!WorkspaceContext.TryResolve(context, node.Resolver, null, out var workspace, out var problem))
        {
            return problem;
        }

        if (node.Replication.CheckRead(workspace, context) is { } behind)
        {
            return behind;
        }

        if (!TryParseFlag(includeContent, "include_content", true, out var withContent, out problem)
            || !TryParseFlag(includeChunks, "include_chunks", false, out var withChunks, out problem))
        {
            return problem!;
        }

        var store = node.Catalog.TryOpen(workspace);
        var document = store is null ? null : await store.GetDocumentAsync(id, withContent, withChunks, cancellationToken);
        if (document is null)
        {
            return Problems.NotFound($"Workspace '{workspace}' has no document with id '{id}'.");
        }

        node.Catalog.Touch(workspace);
        return TypedResults.Ok(ToResponse(document));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        HttpContext context, NodeServices node, string id, CancellationToken cancellationToken)
    {
        if (!WorkspaceContext.TryResolve(context, node.Resolver, null, out var workspace, out var problem))
        {
            return problem;
        }

        var (refused, primary) = await node.Replication.CheckWriteAsync(workspace, context);
        if (refused is not null)
        {
            return refused;
        }

        var store = node.Catalog.TryOpen(workspace);
        if (store is null || !await store.DeleteDocumentAsync(id, cancellationToken))
        {
            return Problems.NotFound($"Workspace '{workspace}' has no document with id '{id}'.");
        }

        node.Catalog.Touch(workspace);
        await ReplicateAsync(context, node, workspace, store, primary, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Waits for the write's copies on the replicas (see <see cref="ReplicationCoordinator.WaitForCopiesAsync"/>) and
    /// reports them in <c>X-ContextLite-Replication</c> (and in the body by the caller); null without replication.
    /// </summary>
    private static async Task<ReplicationReport?> ReplicateAsync(
        HttpContext context, NodeServices node, WorkspaceId workspace, WorkspaceStore store, PrimaryRecord? primary, CancellationToken cancellationToken)
    {
        if (primary is null)
        {
            return null;
        }

        var report = await node.Replication.WaitForCopiesAsync(workspace.Value, primary, store.ReplicationHead(), cancellationToken);
        if (report is not null)
        {
            context.Response.Headers[ReplicationHeader] = FormattableString.Invariant(
                $"copies={report.Copies}; required={report.Required}; epoch={report.Epoch}; seq={report.Seq}; primary={report.Primary}");
        }

        return report;
    }
}
