using ContextLite.Storage;
using ContextLite.Text;
using ContextLite.Workspaces;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ContextLite.Core.Tests.Storage;

/// <summary>
/// A <see cref="WorkspaceCatalog"/> over a fresh folder under the system temp directory, with a fake clock
/// and 64-token chunks (so modest documents span several chunks). The folder is deleted on dispose.
/// </summary>
internal sealed class TempCatalog : IDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);

    public TempCatalog(int maxTokens = 64)
    {
        MaxTokens = maxTokens;
        DataDirectory = Path.Combine(Path.GetTempPath(), "contextlite-core-tests", Guid.NewGuid().ToString("N"));
        Catalog = Create();
    }

    public string DataDirectory { get; }

    public int MaxTokens { get; }

    public FakeTimeProvider Time { get; } = new(Start);

    public WorkspaceCatalog Catalog { get; private set; }

    /// <summary>The store of <paramref name="workspace"/>, created when new.</summary>
    public WorkspaceStore Store(string workspace = "test") => Catalog.OpenOrCreate(WorkspaceId.Parse(workspace));

    /// <summary>Closes the catalog and opens a new one over the same folder, as a restarted process would.</summary>
    public void Reopen()
    {
        Catalog.Dispose();
        Catalog = Create();
    }

    public void Dispose()
    {
        Catalog.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS temp cleaner gets anything still held open.
        }
    }

    private WorkspaceCatalog Create() => new(
        Options.Create(new StorageOptions { DataDirectory = DataDirectory }),
        Options.Create(new ChunkingOptions { MaxTokens = MaxTokens }),
        TiktokenCounter.Cl100k,
        Time);
}
