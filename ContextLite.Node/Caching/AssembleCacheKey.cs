using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ContextLite.Node.Caching;

/// <summary>The cache key of an assemble answer: a workspace prefix and a hash of everything the answer depends on.</summary>
/// <remarks>
/// The canonical form is a JSON array written field by field in a fixed order (the query text exactly, no
/// trimming or case folding), so equal requests agree byte for byte whatever the order or spacing of the body.
/// It is hashed with SHA-256 rather than a fast 64-bit hash because a collision would serve another request's
/// answer, and because a long query must not push the key past HybridCache's key-length limit (which would
/// silently turn caching off for it).
/// </remarks>
internal static class AssembleCacheKey
{
    public const string Prefix = "contextlite:assemble:";

    public static string Create(string epoch, string workspace, string keyVersion, AssembleCacheRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + Encoding.UTF8.GetMaxByteCount(request.Query.Length));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteStringValue(epoch);
            json.WriteStringValue(workspace);
            json.WriteStringValue(keyVersion);
            json.WriteStringValue(request.Query);
            json.WriteNumberValue(request.MaxTokens);
            json.WriteNumberValue(request.MaxDocuments);
            json.WriteStringValue(request.Mode.ToString());
            json.WriteStringValue(request.Solver);
            json.WriteBooleanValue(request.IncludeContent);
            json.WriteBooleanValue(request.Explain);
            json.WriteStringValue(request.ModelId);
            if (request.QueryEmbedding is { } vector)
            {
                json.WriteStringValue(Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(vector.AsSpan()))));
            }
            else
            {
                json.WriteNullValue();
            }

            json.WriteEndArray();
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{workspace}:{hash}");
    }
}
