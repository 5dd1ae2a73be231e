using System.Net;
using ContextLite.Node.Cli;
using ContextLite.Node.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace ContextLite.Node.Tests.Cli;

/// <summary><c>verify</c> finds broken derived indexes, <c>verify --repair</c> rebuilds them from the documents.</summary>
public sealed class VerifyCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    public async Task InitializeAsync()
    {
        await using var node = await NodeHost.StartAsync(dataDirectory: _data.Path);
        using var response = await node.PostJsonAsync(
            "/api/v1/documents/bulk",
            """[{"id":"a","path":"a.md","content":"alpha storage notes"},{"id":"b","path":"b.md","content":"beta ring notes"}]""",
            "checked");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await node.WaitForEmbeddingsAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _data.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Verify_CleanDataDirectory_ExitsZeroWithCounts()
    {
        var (code, output, _) = await RunAsync("verify", "--data-dir", _data.Path);

        Assert.Equal(0, code);
        Assert.Contains("checked: ok (2 documents, 2 chunks, 2 embedded)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BrokenLexicalAndVectorIndex_ExitsOneAndRepairFixesThem()
    {
        Break(Path.Combine(_data.Path, "checked.db"));

        var (broken, report, _) = await RunAsync("verify", "--data-dir", _data.Path, "--workspace", "checked");
        var (repaired, _, _) = await RunAsync("verify", "--data-dir", _data.Path, "--repair");
        var (after, clean, _) = await RunAsync("verify", "--data-dir", _data.Path);

        Assert.Equal(1, broken);
        Assert.Contains("lexical index", report, StringComparison.Ordinal);
        Assert.Contains("vector index: 1 vectors belong to no chunk", report, StringComparison.Ordinal);
        Assert.Equal(0, repaired);
        Assert.Equal(0, after);
        Assert.Contains("checked: ok (2 documents, 2 chunks, 1 embedded)", clean, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("verify", "--data-dir", "/nonexistent-contextlite-dir")]
    public async Task Verify_NoDataDirectory_IsUsageError(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains("--data-dir", error, StringComparison.Ordinal);
    }

    /// <summary>Drops one chunk's lexical-index entries and points its vector at a chunk that does not exist.</summary>
    private static void Break(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO chunks_fts(chunks_fts, rowid, text, path)
                SELECT 'delete', c.id, c.text, d.path FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE d.id = 'a';
            PRAGMA foreign_keys = OFF;
            UPDATE embeddings SET chunk_id = 999999 WHERE chunk_id = (SELECT id FROM chunks WHERE doc_id = 'a');
            """;
        command.ExecuteNonQuery();
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await NodeCommandLine.InvokeAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
