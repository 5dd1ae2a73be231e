using ContextLite.Node.Cli;

namespace ContextLite.Node.Tests.Cli;

public sealed class IngestFileReaderTests
{
    [Theory]
    [InlineData(new byte[] { 0x61, 0x00, 0x62 })]
    [InlineData(new byte[] { 0x63, 0x61, 0x66, 0xE9 })]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x61, 0x00 })]
    public async Task ReadAsync_NulByteOrInvalidUtf8_IsBinary(byte[] bytes)
    {
        using var folder = new IngestFolder().WriteBytes("file", bytes);

        var read = await ReadAsync(folder, "file");

        Assert.Equal(IngestSkipReason.Binary, read.Skipped);
    }

    [Fact]
    public async Task ReadAsync_NulAfterFirst8KiB_IsBinary()
    {
        var bytes = new byte[10_000];
        Array.Fill(bytes, (byte)'a');
        bytes[9_000] = 0;
        using var folder = new IngestFolder().WriteBytes("file", bytes);

        var read = await ReadAsync(folder, "file");

        Assert.Equal(IngestSkipReason.Binary, read.Skipped);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \r\n\t ")]
    [InlineData("\uFEFF")]
    public async Task ReadAsync_EmptyOrWhiteSpace_IsEmpty(string text)
    {
        using var folder = new IngestFolder().Write("file", text);

        var read = await ReadAsync(folder, "file");

        Assert.Equal(IngestSkipReason.Empty, read.Skipped);
    }

    [Fact]
    public async Task ReadAsync_OneByteOverLimit_IsTooLarge()
    {
        using var folder = new IngestFolder().Write("file", new string('x', 101));

        var read = await ReadAsync(folder, "file", maxBytes: 100);

        Assert.Equal(IngestSkipReason.TooLarge, read.Skipped);
    }

    [Fact]
    public async Task ReadAsync_ExactlyAtLimit_IsRead()
    {
        using var folder = new IngestFolder().Write("file", new string('x', 100));

        var read = await ReadAsync(folder, "file", maxBytes: 100);

        Assert.Null(read.Skipped);
        Assert.Equal(100, read.Bytes);
    }

    [Fact]
    public async Task ReadAsync_Utf8WithBom_ReturnsTextWithoutBom()
    {
        using var folder = new IngestFolder().WriteBytes("file", [0xEF, 0xBB, 0xBF, .. "caf\u00E9 \u2713\n"u8]);

        var read = await ReadAsync(folder, "file");

        Assert.Null(read.Skipped);
        Assert.Equal("caf\u00E9 \u2713\n", read.Content);
    }

    private static Task<IngestFileRead> ReadAsync(IngestFolder folder, string relativePath, int maxBytes = 1024 * 1024) =>
        IngestFileReader.ReadAsync(new FolderFile(folder.FullPath(relativePath), relativePath), maxBytes, CancellationToken.None);
}
