using System.Security.Cryptography;
using System.Text;

namespace ContextLite.Storage;

/// <summary>What makes a document acceptable, and how ids and hashes are derived.</summary>
internal static class DocumentRules
{
    /// <summary>Returns why <paramref name="input"/> cannot be stored, or null when it can.</summary>
    public static string? Validate(DocumentInput input, StorageOptions options)
    {
        if (input.Id is not null)
        {
            if (input.Id.Length == 0 || string.IsNullOrWhiteSpace(input.Id))
            {
                return "'id' is blank; omit it to derive the id from 'path', or give a non-blank id.";
            }

            if (input.Id.Length > options.MaxIdLength)
            {
                return $"'id' is {input.Id.Length} characters long; the limit is {options.MaxIdLength}.";
            }

            if (HasControl(input.Id))
            {
                return "'id' contains control characters.";
            }
        }

        if (string.IsNullOrWhiteSpace(input.Path))
        {
            return "'path' is required and must not be blank.";
        }

        if (input.Path.Length > options.MaxPathLength)
        {
            return $"'path' is {input.Path.Length} characters long; the limit is {options.MaxPathLength}.";
        }

        if (HasControl(input.Path))
        {
            return "'path' contains control characters (including NUL).";
        }

        if (input.Content is null)
        {
            return "'content' is required.";
        }

        if (input.Content.Length == 0)
        {
            return "'content' is empty; send the document text (to remove a document, DELETE it).";
        }

        if (string.IsNullOrWhiteSpace(input.Content))
        {
            return "'content' is only white space; there is nothing to index.";
        }

        if (input.Content.Contains('\0', StringComparison.Ordinal))
        {
            return "'content' contains NUL characters; it looks binary, and only text is stored.";
        }

        if (HasLoneSurrogate(input.Content) || HasLoneSurrogate(input.Path) || HasLoneSurrogate(input.Id)
            || HasLoneSurrogate(input.MetadataJson))
        {
            return "The document contains invalid Unicode (an unpaired UTF-16 surrogate); send well-formed UTF-8 text.";
        }

        var bytes = Encoding.UTF8.GetByteCount(input.Content);
        if (bytes > options.MaxDocumentBytes)
        {
            return $"'content' is {bytes} bytes of UTF-8; the limit is {options.MaxDocumentBytes} (storage.max_document_bytes).";
        }

        if (input.MetadataJson is not null && Encoding.UTF8.GetByteCount(input.MetadataJson) > options.MaxMetadataBytes)
        {
            return $"'metadata' is larger than {options.MaxMetadataBytes} bytes (storage.max_metadata_bytes).";
        }

        if (input.Embedding is { } vector)
        {
            if (vector.Length is 0 or > MaxEmbeddingDimension)
            {
                return $"'embedding' has {vector.Length} numbers; send 1 to {MaxEmbeddingDimension}.";
            }

            foreach (var x in vector)
            {
                if (!float.IsFinite(x))
                {
                    return "'embedding' contains a non-finite number.";
                }
            }
        }

        return null;
    }

    /// <summary>The largest vector accepted.</summary>
    public const int MaxEmbeddingDimension = 4096;

    /// <summary>The model id recorded for bring-your-own vectors without a named model.</summary>
    public static string ExternalModel(int dimension) => $"external-{dimension}";

    /// <summary>SHA-256 of the UTF-8 content, lower-case hex.</summary>
    public static string ContentHash(string content) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    /// <summary>
    /// The id of a document sent without one: stable across processes and re-sends (so an ingest that is run
    /// twice updates rather than duplicates), derived from the path alone.
    /// </summary>
    public static string DeriveId(string path) =>
        "p_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..32];

    private static bool HasLoneSurrogate(string? value)
    {
        if (value is null)
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasControl(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
