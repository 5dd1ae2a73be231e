namespace ContextLite.Node.Cli;

/// <summary>A file's text, or why it is not sent.</summary>
/// <param name="Content">The decoded text when the file is sent.</param>
/// <param name="Bytes">The UTF-8 size of <paramref name="Content"/>, for the batch size cap.</param>
/// <param name="Skipped">Why the file is not sent, or null.</param>
internal readonly record struct IngestFileRead(string? Content, int Bytes, IngestSkipReason? Skipped)
{
    public static IngestFileRead Skip(IngestSkipReason reason) => new(null, 0, reason);
}
