using ContextLite.Clustering;

namespace ContextLite.Core.Tests.Clustering;

public sealed class IndexWireTests
{
    [Fact]
    public async Task Vectors_WrittenInBatches_ReadBackBitForBit()
    {
        // Arrange: 3,000 rows written in uneven batches, as the node streams them.
        const int Dim = 7, N = 3000;
        var random = new Random(5);
        var ids = Enumerable.Range(0, N).Select(i => (long)i * 1_000_003).ToArray();
        var vectors = SyntheticVectors.Uniform(random, N, Dim);
        vectors[5] = float.Epsilon;
        using var stream = new MemoryStream();
        var header = new byte[IndexWire.VectorsHeaderBytes];
        IndexWire.WriteVectorsHeader(header, Dim, N);
        stream.Write(header);
        var buffer = new byte[700 * IndexWire.VectorRowBytes(Dim)];
        for (int start = 0; start < N; start += 700)
        {
            int rows = Math.Min(700, N - start);
            int length = IndexWire.WriteVectorRows(ids.AsSpan(start, rows), vectors.AsSpan(start * Dim, rows * Dim), Dim, buffer);
            stream.Write(buffer, 0, length);
        }

        stream.Position = 0;

        // Act
        var set = await IndexWire.ReadVectorsAsync(stream, N);

        // Assert: 16 header bytes plus 8 + 4·dim a row, and the same ids and floats.
        Assert.Equal(16 + (N * (8 + (4 * Dim))), stream.Length);
        Assert.Equal(Dim, set.Dimension);
        Assert.Equal(ids, set.Ids);
        Assert.Equal(vectors, set.Vectors);
    }

    [Fact]
    public async Task Clusters_Encoded_DecodeToTheSamePush()
    {
        var push = new ClusterPush(3, 2, [1, 0, 0, 0, 1, 0], [10, 20, 30], [0, 1, 1], 7, 0.125, 1.5);

        var decoded = await IndexWire.ReadClustersAsync(new MemoryStream(IndexWire.EncodeClusters(push)), 10);

        Assert.Equal(push.Dimension, decoded.Dimension);
        Assert.Equal(push.K, decoded.K);
        Assert.Equal(push.Centroids, decoded.Centroids);
        Assert.Equal(push.Ids, decoded.Ids);
        Assert.Equal(push.Clusters, decoded.Clusters);
        Assert.Equal((push.Iterations, push.Inertia, push.Seconds), (decoded.Iterations, decoded.Inertia, decoded.Seconds));
    }

    [Fact]
    public async Task Read_BadMagicTruncatedOrTooLarge_IsInvalidData()
    {
        var push = IndexWire.EncodeClusters(new ClusterPush(3, 2, [1, 0, 0, 0, 1, 0], [10, 20, 30], [0, 1, 1], 1, 0, 0));
        var header = new byte[IndexWire.VectorsHeaderBytes];
        IndexWire.WriteVectorsHeader(header, 4, 2);

        await Assert.ThrowsAsync<InvalidDataException>(() => IndexWire.ReadVectorsAsync(new MemoryStream(push), 10));
        await Assert.ThrowsAsync<InvalidDataException>(() => IndexWire.ReadClustersAsync(new MemoryStream(header), 10));
        await Assert.ThrowsAsync<InvalidDataException>(() => IndexWire.ReadVectorsAsync(new MemoryStream(header), 10));
        await Assert.ThrowsAsync<InvalidDataException>(() => IndexWire.ReadClustersAsync(new MemoryStream(push[..^4]), 10));
        await Assert.ThrowsAsync<InvalidDataException>(() => IndexWire.ReadVectorsAsync(new MemoryStream(header), 1));
        await Assert.ThrowsAsync<InvalidDataException>(() => IndexWire.ReadClustersAsync(new MemoryStream(push), 2));
    }
}
