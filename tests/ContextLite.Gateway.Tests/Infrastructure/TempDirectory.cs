namespace ContextLite.Gateway.Tests.Infrastructure;

/// <summary>A fresh directory under the temp folder, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "contextlite-gw-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A node that is still closing its files; the temp folder is cleaned by the OS later.
        }
    }
}
