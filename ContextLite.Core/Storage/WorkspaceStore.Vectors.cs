using System.Globalization;
using ContextLite.Clustering;
using Microsoft.Data.Sqlite;

namespace ContextLite.Storage;

public sealed partial class WorkspaceStore
{
    /// <summary>The workspace's embedding model and dimension, or null before the first vector.</summary>
    public (string Model, int Dimension)? EmbeddingModel
    {
        get
        {
            // Read on every semantic query: a kept query connection and its prepared statement, not a fresh
            // connection running the write pragmas.
            using var session = RentForQuery();
            var read = session.Command(WorkspaceSchema.ReadMeta, static p => p.Add("$key", SqliteType.Text));
            return ParseModel(key =>
            {
                read.Parameters[0].Value = key;
                return read.ExecuteScalar() as string;
            });
        }
    }

    /// <summary>
    /// Stores computed vectors for chunks (those deleted meanwhile are skipped) and raises <see cref="Changed"/>.
    /// </summary>
    /// <exception cref="EmbeddingModelMismatchException">The workspace holds vectors of another model or dimension.</exception>
    public async Task<int> SaveEmbeddingsAsync(
        IReadOnlyList<(long ChunkId, float[] Vector)> vectors, string model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Count == 0)
        {
            return 0;
        }

        return await WriteLockedAsync(() =>
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction();
            using var writer = new Writer(connection, transaction);
            using var exists = connection.CreateCommand();
            exists.Transaction = transaction;
            exists.CommandText = "SELECT 1 FROM chunks WHERE id = $id";
            var idParameter = exists.Parameters.Add("$id", SqliteType.Integer);
            var saved = 0;
            foreach (var (chunkId, vector) in vectors)
            {
                idParameter.Value = chunkId;
                if (exists.ExecuteScalar() is null)
                {
                    continue;
                }

                writer.SetEmbeddings([chunkId], vector, model);
                saved++;
            }

            transaction.Commit();
            Raise(writer, ParseLong(WorkspaceSchema.ReadMetaValue(connection, null, "version")));
            return saved;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams every stored vector to <paramref name="sink"/> (for loading the in-memory index).</summary>
    public int ReadEmbeddings(Action<long, float[]> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT chunk_id, vec FROM embeddings ORDER BY chunk_id";
        using var reader = command.ExecuteReader();
        var count = 0;
        while (reader.Read())
        {
            sink(reader.GetInt64(0), VectorBlob.FromBytes((byte[])reader[1]));
            count++;
        }

        return count;
    }

    /// <summary>Up to <paramref name="limit"/> chunks that have no vector yet, oldest first, with their text.</summary>
    public IReadOnlyList<(long ChunkId, string Text)> ChunksWithoutEmbeddings(int limit, long afterChunkId = 0)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.id, c.text FROM chunks c LEFT JOIN embeddings e ON e.chunk_id = c.id
            WHERE e.chunk_id IS NULL AND c.id > $after ORDER BY c.id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$after", afterChunkId);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var chunks = new List<(long, string)>();
        while (reader.Read())
        {
            chunks.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return chunks;
    }

    /// <summary>How many chunks exist and how many have a vector.</summary>
    public (long Chunks, long Embedded) EmbeddingProgress()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM chunks), (SELECT COUNT(*) FROM embeddings)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Replaces the stored IVF clusters (centroids and assignments), and how they were built, in one transaction.</summary>
    public async Task SaveClustersAsync(
        float[] centroids, int k, int dimension, IReadOnlyDictionary<long, int> assignments, CancellationToken cancellationToken = default)
        => await SaveClustersAsync(centroids, k, dimension, assignments, stats: null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc cref="SaveClustersAsync(float[], int, int, IReadOnlyDictionary{long, int}, CancellationToken)"/>
    public async Task SaveClustersAsync(
        float[] centroids, int k, int dimension, IReadOnlyDictionary<long, int> assignments, ClusterBuildStats? stats, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(centroids);
        ArgumentNullException.ThrowIfNull(assignments);
        await WriteLockedAsync(() =>
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction();
            var sizes = new int[k];
            foreach (var cluster in assignments.Values)
            {
                sizes[cluster]++;
            }

            var version = ParseLong(WorkspaceSchema.ReadMetaValue(connection, transaction, "clusters_version")) + 1;
            var now = NowUnixMs();
            Exec(connection, transaction, "DELETE FROM chunk_cluster; DELETE FROM clusters;");
            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO clusters(cluster_id, centroid, size, version, built_at) VALUES($c, $v, $s, $ver, $at)";
                var c = insert.Parameters.Add("$c", SqliteType.Integer);
                var v = insert.Parameters.Add("$v", SqliteType.Blob);
                var s = insert.Parameters.Add("$s", SqliteType.Integer);
                insert.Parameters.AddWithValue("$ver", version);
                insert.Parameters.AddWithValue("$at", now);
                for (var i = 0; i < k; i++)
                {
                    c.Value = i;
                    v.Value = VectorBlob.ToBytes(centroids.AsSpan(i * dimension, dimension));
                    s.Value = sizes[i];
                    insert.ExecuteNonQuery();
                }
            }

            using (var assign = connection.CreateCommand())
            {
                assign.Transaction = transaction;
                assign.CommandText = "INSERT OR IGNORE INTO chunk_cluster(chunk_id, cluster_id) SELECT $id, $c WHERE EXISTS (SELECT 1 FROM chunks WHERE id = $id)";
                var id = assign.Parameters.Add("$id", SqliteType.Integer);
                var c = assign.Parameters.Add("$c", SqliteType.Integer);
                foreach (var (chunk, cluster) in assignments)
                {
                    id.Value = chunk;
                    c.Value = cluster;
                    assign.ExecuteNonQuery();
                }
            }

            WorkspaceSchema.WriteMetaValue(connection, transaction, "clusters_version", version.ToString(CultureInfo.InvariantCulture));
            WorkspaceSchema.WriteMetaValue(connection, transaction, "clusters_built_at", now.ToString(CultureInfo.InvariantCulture));
            WorkspaceSchema.WriteMetaValue(connection, transaction, "chunks_at_last_build", assignments.Count.ToString(CultureInfo.InvariantCulture));
            if (stats is not null)
            {
                WorkspaceSchema.WriteMetaValue(connection, transaction, "clusters_built_by", stats.BuiltBy);
                WorkspaceSchema.WriteMetaValue(connection, transaction, "clusters_vectors", stats.Vectors.ToString(CultureInfo.InvariantCulture));
                WorkspaceSchema.WriteMetaValue(connection, transaction, "clusters_iterations", stats.Iterations.ToString(CultureInfo.InvariantCulture));
                WorkspaceSchema.WriteMetaValue(connection, transaction, "clusters_inertia", stats.Inertia.ToString("R", CultureInfo.InvariantCulture));
                WorkspaceSchema.WriteMetaValue(connection, transaction, "clusters_seconds", stats.Seconds.ToString("R", CultureInfo.InvariantCulture));
            }

            transaction.Commit();
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored IVF clusters, or null when none were built.</summary>
    public (float[] Centroids, int K, Dictionary<long, int> Assignments)? LoadClusters(int dimension)
    {
        using var connection = Open();
        var centroids = new List<float>();
        var k = 0;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT centroid FROM clusters ORDER BY cluster_id";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var centroid = VectorBlob.FromBytes((byte[])reader[0]);
                if (centroid.Length != dimension)
                {
                    return null;
                }

                centroids.AddRange(centroid);
                k++;
            }
        }

        if (k == 0)
        {
            return null;
        }

        var assignments = new Dictionary<long, int>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT chunk_id, cluster_id FROM chunk_cluster";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                assignments[reader.GetInt64(0)] = reader.GetInt32(1);
            }
        }

        return ([.. centroids], k, assignments);
    }

    /// <summary>Meta values about the last cluster build: version, built_at (unix ms), chunks then.</summary>
    public (long Version, long BuiltAtUnixMs, long ChunksAtBuild) ClusterBuildInfo()
    {
        using var connection = Open();
        return (
            ParseLong(WorkspaceSchema.ReadMetaValue(connection, null, "clusters_version")),
            ParseLong(WorkspaceSchema.ReadMetaValue(connection, null, "clusters_built_at")),
            ParseLong(WorkspaceSchema.ReadMetaValue(connection, null, "chunks_at_last_build")));
    }

    /// <summary>How the stored clusters were built; null when they were not, or without that record.</summary>
    public ClusterBuildStats? ReadClusterBuildStats()
    {
        using var connection = Open();
        var builtBy = WorkspaceSchema.ReadMetaValue(connection, null, "clusters_built_by");
        if (builtBy is null)
        {
            return null;
        }

        return new ClusterBuildStats(
            builtBy,
            ParseLong(WorkspaceSchema.ReadMetaValue(connection, null, "clusters_vectors")),
            (int)ParseLong(WorkspaceSchema.ReadMetaValue(connection, null, "clusters_iterations")),
            ParseDouble(WorkspaceSchema.ReadMetaValue(connection, null, "clusters_inertia")),
            ParseDouble(WorkspaceSchema.ReadMetaValue(connection, null, "clusters_seconds")));
    }

    private static double ParseDouble(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;

    /// <summary>How many IVF clusters are stored.</summary>
    public int ClusterCount()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM clusters";
        return (int)(long)command.ExecuteScalar()!;
    }

    internal static (string Model, int Dimension)? ReadModel(SqliteConnection connection, SqliteTransaction? transaction) =>
        ParseModel(key => WorkspaceSchema.ReadMetaValue(connection, transaction, key));

    private static (string Model, int Dimension)? ParseModel(Func<string, string?> readMeta)
    {
        var model = readMeta("embedding_model");
        var dimension = readMeta("embedding_dimension");
        return model is null || dimension is null ? null : (model, int.Parse(dimension, CultureInfo.InvariantCulture));
    }

    private static void Exec(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
