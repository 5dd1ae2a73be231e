namespace ContextLite.Storage;

/// <summary>What an upsert did to one document.</summary>
public enum UpsertStatus
{
    /// <summary>A new document was stored.</summary>
    Added,

    /// <summary>An existing document's content, path or metadata changed.</summary>
    Updated,

    /// <summary>The same content, path and metadata were already stored: nothing was written.</summary>
    Unchanged,

    /// <summary>The item was rejected and left no trace.</summary>
    Error,
}
