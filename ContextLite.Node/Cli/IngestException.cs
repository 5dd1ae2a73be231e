namespace ContextLite.Node.Cli;

/// <summary>A failure that stops an ingest run (the server is unreachable or refused a batch); the message is for the user.</summary>
internal sealed class IngestException : Exception
{
    public IngestException()
    {
    }

    public IngestException(string message)
        : base(message)
    {
    }

    public IngestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
