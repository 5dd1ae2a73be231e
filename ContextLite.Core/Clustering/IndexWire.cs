using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ContextLite.Clustering;

/// <summary>
/// The binary formats between node and indexer, all little-endian: vectors out of a node, clusters back in.
/// </summary>
/// <remarks>
/// <para>
/// <b>Vectors</b> (<c>application/vnd.contextlite.vectors</c>): a 16-byte header — magic <c>CLV1</c>,
/// int32 dimension, int64 N — then N rows of int64 chunk id + float32[dimension]. A 384-dimension row is
/// 1,544 bytes, against ~4 KB as JSON numbers, and both ends handle it in batches without parsing.
/// </para>
/// <para>
/// <b>Clusters</b> (<c>application/vnd.contextlite.clusters</c>): a 40-byte header — magic <c>CLC1</c>,
/// int32 dimension, int32 K, int32 N, int32 iterations, int32 reserved, float64 inertia, float64 seconds — then
/// K × dimension float32 centroids, then N rows of int64 chunk id + int32 cluster.
/// </para>
/// </remarks>
public static class IndexWire
{
    /// <summary>The media type of a vector stream.</summary>
    public const string VectorsMediaType = "application/vnd.contextlite.vectors";

    /// <summary>The media type of a cluster push.</summary>
    public const string ClustersMediaType = "application/vnd.contextlite.clusters";

    /// <summary>Bytes of the vector stream's header.</summary>
    public const int VectorsHeaderBytes = 16;

    /// <summary>Bytes of the cluster push's header.</summary>
    public const int ClustersHeaderBytes = 40;

    private const uint VectorsMagic = 0x31564C43; // "CLV1" read as a little-endian uint32.
    private const uint ClustersMagic = 0x31434C43; // "CLC1"

    /// <summary>Bytes of one vector row.</summary>
    public static int VectorRowBytes(int dimension) => sizeof(long) + (dimension * sizeof(float));

    /// <summary>Writes the vector stream's header.</summary>
    public static void WriteVectorsHeader(Span<byte> destination, int dimension, long count)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, VectorsMagic);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], dimension);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], count);
    }

    /// <summary>Encodes <paramref name="ids"/>.Length rows into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int WriteVectorRows(ReadOnlySpan<long> ids, ReadOnlySpan<float> vectors, int dimension, Span<byte> destination)
    {
        int rowBytes = VectorRowBytes(dimension);
        for (int i = 0; i < ids.Length; i++)
        {
            var row = destination.Slice(i * rowBytes, rowBytes);
            BinaryPrimitives.WriteInt64LittleEndian(row, ids[i]);
            WriteFloats(vectors.Slice(i * dimension, dimension), row[sizeof(long)..]);
        }

        return ids.Length * rowBytes;
    }

    /// <summary>Reads a whole vector stream; refuses more than <paramref name="maxVectors"/> vectors.</summary>
    /// <exception cref="InvalidDataException">The stream is not a vector stream or ends early.</exception>
    public static async Task<VectorSet> ReadVectorsAsync(Stream stream, int maxVectors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[VectorsHeaderBytes];
        await ReadExactlyAsync(stream, header, cancellationToken).ConfigureAwait(false);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != VectorsMagic)
        {
            throw new InvalidDataException("Not a ContextLite vector stream (bad magic).");
        }

        int dimension = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
        long count = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(8));
        if (dimension is <= 0 or > 65_536 || count < 0 || count > maxVectors || count * dimension > Array.MaxLength)
        {
            throw new InvalidDataException($"Vector stream of {count} × {dimension} is out of range (at most {maxVectors} vectors).");
        }

        int n = (int)count;
        var ids = new long[n];
        var vectors = new float[n * dimension];
        int rowBytes = VectorRowBytes(dimension);
        int batch = Math.Max(1, (1 << 20) / rowBytes);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(batch * rowBytes);
        try
        {
            for (int start = 0; start < n; start += batch)
            {
                int rows = Math.Min(batch, n - start);
                await ReadExactlyAsync(stream, buffer.AsMemory(0, rows * rowBytes), cancellationToken).ConfigureAwait(false);
                for (int i = 0; i < rows; i++)
                {
                    var row = buffer.AsSpan(i * rowBytes, rowBytes);
                    ids[start + i] = BinaryPrimitives.ReadInt64LittleEndian(row);
                    ReadFloats(row[sizeof(long)..], vectors.AsSpan((start + i) * dimension, dimension));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new VectorSet(dimension, ids, vectors);
    }

    /// <summary>Encodes a cluster push.</summary>
    public static byte[] EncodeClusters(ClusterPush push)
    {
        ArgumentNullException.ThrowIfNull(push);
        if (push.Centroids.Length != push.K * push.Dimension || push.Ids.Length != push.Clusters.Length)
        {
            throw new ArgumentException("The centroids or assignments do not match K, the dimension or each other.", nameof(push));
        }

        int n = push.Ids.Length;
        var bytes = new byte[ClustersHeaderBytes + (push.Centroids.Length * sizeof(float)) + (n * (sizeof(long) + sizeof(int)))];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, ClustersMagic);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], push.Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], push.K);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], n);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], push.Iterations);
        BinaryPrimitives.WriteDoubleLittleEndian(span[24..], push.Inertia);
        BinaryPrimitives.WriteDoubleLittleEndian(span[32..], push.Seconds);
        int offset = ClustersHeaderBytes;
        WriteFloats(push.Centroids, span[offset..]);
        offset += push.Centroids.Length * sizeof(float);
        for (int i = 0; i < n; i++, offset += sizeof(long) + sizeof(int))
        {
            BinaryPrimitives.WriteInt64LittleEndian(span[offset..], push.Ids[i]);
            BinaryPrimitives.WriteInt32LittleEndian(span[(offset + sizeof(long))..], push.Clusters[i]);
        }

        return bytes;
    }

    /// <summary>Reads a cluster push; refuses more than <paramref name="maxVectors"/> assignments.</summary>
    /// <exception cref="InvalidDataException">The body is not a cluster push, is out of range or ends early.</exception>
    public static async Task<ClusterPush> ReadClustersAsync(Stream stream, int maxVectors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[ClustersHeaderBytes];
        await ReadExactlyAsync(stream, header, cancellationToken).ConfigureAwait(false);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != ClustersMagic)
        {
            throw new InvalidDataException("Not a ContextLite cluster push (bad magic).");
        }

        int dimension = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
        int k = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
        int n = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
        int iterations = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(16));
        double inertia = BinaryPrimitives.ReadDoubleLittleEndian(header.AsSpan(24));
        double seconds = BinaryPrimitives.ReadDoubleLittleEndian(header.AsSpan(32));
        if (dimension is <= 0 or > 65_536 || k <= 0 || n < 0 || n > maxVectors || k > Math.Max(1, n) || (long)k * dimension > Array.MaxLength)
        {
            throw new InvalidDataException($"Cluster push of K = {k}, N = {n}, dimension {dimension} is out of range (at most {maxVectors} vectors, K ≤ N).");
        }

        var centroidBytes = new byte[k * dimension * sizeof(float)];
        await ReadExactlyAsync(stream, centroidBytes, cancellationToken).ConfigureAwait(false);
        var centroids = new float[k * dimension];
        ReadFloats(centroidBytes, centroids);

        var ids = new long[n];
        var clusters = new int[n];
        const int RowBytes = sizeof(long) + sizeof(int);
        const int Batch = 65_536;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Batch * RowBytes);
        try
        {
            for (int start = 0; start < n; start += Batch)
            {
                int rows = Math.Min(Batch, n - start);
                await ReadExactlyAsync(stream, buffer.AsMemory(0, rows * RowBytes), cancellationToken).ConfigureAwait(false);
                for (int i = 0; i < rows; i++)
                {
                    ids[start + i] = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(i * RowBytes));
                    clusters[start + i] = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan((i * RowBytes) + sizeof(long)));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new ClusterPush(dimension, k, centroids, ids, clusters, iterations, inertia, seconds);
    }

    private static void WriteFloats(ReadOnlySpan<float> source, Span<byte> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(source).CopyTo(destination);
            return;
        }

        for (int i = 0; i < source.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination[(i * sizeof(float))..], source[i]);
        }
    }

    private static void ReadFloats(ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(source[..(destination.Length * sizeof(float))]).CopyTo(destination);
            return;
        }

        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * sizeof(float))..]);
        }
    }

    private static async Task ReadExactlyAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("The stream ended before its header said it would.", ex);
        }
    }
}
