using System.Text;

namespace ContextLite.Node.Cli;

/// <summary>Reads a candidate file and decides whether it is text worth sending.</summary>
internal static class IngestFileReader
{
    private const int CopyBufferBytes = 64 * 1024;

    // Strict so that Latin-1, UTF-16 and other non-UTF-8 files are reported as binary instead of being
    // stored with replacement characters.
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<IngestFileRead> ReadAsync(FolderFile file, int maxBytes, CancellationToken cancellationToken)
    {
        byte[] bytes;
        int length;
        try
        {
            var (data, read, tooLarge) = await ReadBoundedAsync(file.FullPath, maxBytes, cancellationToken).ConfigureAwait(false);
            if (tooLarge)
            {
                return IngestFileRead.Skip(IngestSkipReason.TooLarge);
            }

            bytes = data;
            length = read;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return IngestFileRead.Skip(IngestSkipReason.Unreadable);
        }

        var content = bytes.AsSpan(0, length);
        if (content.StartsWith(Encoding.UTF8.Preamble))
        {
            content = content[Encoding.UTF8.Preamble.Length..];
        }

        if (content.IsEmpty)
        {
            return IngestFileRead.Skip(IngestSkipReason.Empty);
        }

        // Git's heuristic looks at the first 8 KiB; the whole file is checked because the node refuses
        // content with any NUL, and a skip reads better in the summary than an item error.
        if (content.Contains((byte)0))
        {
            return IngestFileRead.Skip(IngestSkipReason.Binary);
        }

        string text;
        try
        {
            text = s_strictUtf8.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return IngestFileRead.Skip(IngestSkipReason.Binary);
        }

        return string.IsNullOrWhiteSpace(text)
            ? IngestFileRead.Skip(IngestSkipReason.Empty)
            : new IngestFileRead(text, content.Length, null);
    }

    /// <summary>
    /// Reads at most <paramref name="maxBytes"/> + 1 bytes: the length on disk can change under us or be
    /// meaningless (a link to a device), so the limit is enforced on what is actually read.
    /// </summary>
    private static async Task<(byte[] Data, int Length, bool TooLarge)> ReadBoundedAsync(
        string path, int maxBytes, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            BufferSize = 0,
        });
        await using (stream.ConfigureAwait(false))
        {
            var declared = stream.CanSeek ? stream.Length : 0;
            if (declared > maxBytes)
            {
                return ([], 0, true);
            }

            var data = new byte[declared > 0 ? (int)declared + 1 : Math.Min(maxBytes + 1L, CopyBufferBytes)];
            var length = 0;
            while (true)
            {
                if (length == data.Length)
                {
                    if (length > maxBytes)
                    {
                        return ([], 0, true);
                    }

                    Array.Resize(ref data, (int)Math.Min(maxBytes + 1L, data.Length * 2L));
                }

                var read = await stream.ReadAsync(data.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (data, length, false);
                }

                length += read;
            }
        }
    }
}
