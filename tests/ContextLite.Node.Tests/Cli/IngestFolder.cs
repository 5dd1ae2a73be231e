using System.Text;
using ContextLite.Node.Tests.Infrastructure;

namespace ContextLite.Node.Tests.Cli;

/// <summary>A temporary folder to ingest, with helpers that create nested files.</summary>
internal sealed class IngestFolder : IDisposable
{
    private readonly TempDirectory _directory = new();

    public string Path => _directory.Path;

    public IngestFolder Write(string relativePath, string text) => WriteBytes(relativePath, Encoding.UTF8.GetBytes(text));

    public IngestFolder WriteBytes(string relativePath, byte[] bytes)
    {
        var full = FullPath(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return this;
    }

    public string FullPath(string relativePath) => System.IO.Path.Combine(Path, relativePath.Replace('/', System.IO.Path.DirectorySeparatorChar));

    public void Dispose() => _directory.Dispose();
}
