namespace ContextLite.Node.Cli;

/// <summary>Why <c>ingest</c> left a file or folder out; the summary groups skips by these.</summary>
internal enum IngestSkipReason
{
    /// <summary>A <c>.gitignore</c> rule matched the file or folder (a folder counts once and is not walked).</summary>
    Gitignored,

    /// <summary>No <c>--include</c> glob matched the file, or an <c>--exclude</c> glob did.</summary>
    ExcludedByGlob,

    /// <summary>The file has a NUL byte or is not valid UTF-8.</summary>
    Binary,

    /// <summary>The file is larger than <c>--max-file-bytes</c>.</summary>
    TooLarge,

    /// <summary>The file is empty or only white space: the node would have nothing to index.</summary>
    Empty,

    /// <summary>A symbolic link to a folder: following it could loop or leave the tree.</summary>
    SymlinkedFolder,

    /// <summary>The file or folder could not be read (permissions, or it vanished during the walk).</summary>
    Unreadable,
}
