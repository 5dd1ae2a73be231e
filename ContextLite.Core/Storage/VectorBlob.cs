using System.Runtime.InteropServices;

namespace ContextLite.Storage;

/// <summary>Vectors as SQLite BLOBs: float32, little-endian, no header (the dimension is in <c>meta</c>).</summary>
internal static class VectorBlob
{
    public static byte[] ToBytes(ReadOnlySpan<float> vector)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Vector storage assumes a little-endian machine.");
        }

        return MemoryMarshal.AsBytes(vector).ToArray();
    }

    public static float[] FromBytes(ReadOnlySpan<byte> blob)
    {
        var vector = new float[blob.Length / sizeof(float)];
        blob[..(vector.Length * sizeof(float))].CopyTo(MemoryMarshal.AsBytes(vector.AsSpan()));
        return vector;
    }
}
