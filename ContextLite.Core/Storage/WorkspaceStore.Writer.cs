using ContextLite.Text;
using Microsoft.Data.Sqlite;

namespace ContextLite.Storage;

public sealed partial class WorkspaceStore
{
    /// <summary>
    /// The statements of one write transaction, prepared once and reused for every item of a batch.
    /// Keeps the external-content index in step: old index rows are removed with the values they were
    /// indexed with (before the document row changes), new ones added after the chunks are inserted.
    /// </summary>
    private sealed class Writer : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteTransaction _transaction;
        private readonly List<SqliteCommand> _commands = [];
        private readonly Dictionary<string, SqliteCommand> _bySql = new(StringComparer.Ordinal);
        private readonly SqliteCommand _insertChunk;
        private readonly SqliteCommand _indexChunk;
        private readonly SqliteCommand _setEmbedding;
        private (string Model, int Dimension)? _model;
        private bool _modelLoaded;
        private long? _seq;
        private long? _savedSeq;

        public Writer(SqliteConnection connection, SqliteTransaction transaction)
        {
            _connection = connection;
            _transaction = transaction;
            _insertChunk = Command(InsertChunk, "$doc", "$ordinal", "$start", "$end", "$text", "$tokens");
            _indexChunk = Command(InsertChunkIntoIndex, "$rowid", "$text", "$path");
            _setEmbedding = Command("INSERT OR REPLACE INTO embeddings(chunk_id, vec) VALUES($id, $vec)", "$id", "$vec");
        }

        public List<long> Removed { get; } = [];

        public List<long> Added { get; } = [];

        public List<(long ChunkId, float[] Vector)> Embedded { get; } = [];

        /// <summary>A point to return to when an item's savepoint is rolled back.</summary>
        public (int Removed, int Added, int Embedded, (string, int)? Model, bool Loaded, long? Seq) Mark() =>
            (Removed.Count, Added.Count, Embedded.Count, _model, _modelLoaded, _seq);

        public void Reset((int Removed, int Added, int Embedded, (string, int)? Model, bool Loaded, long? Seq) mark)
        {
            Removed.RemoveRange(mark.Removed, Removed.Count - mark.Removed);
            Added.RemoveRange(mark.Added, Added.Count - mark.Added);
            Embedded.RemoveRange(mark.Embedded, Embedded.Count - mark.Embedded);
            (_model, _modelLoaded, _seq) = (mark.Model, mark.Loaded, mark.Seq);
        }

        /// <summary>The replication sequence number of the last change this transaction made (or the stored one).</summary>
        public long Seq => _seq ??= ParseLong(WorkspaceSchema.ReadMetaValue(_connection, _transaction, "seq"));

        /// <summary>The next replication sequence number, for one document change.</summary>
        public long NextSeq()
        {
            _seq = Seq + 1;
            return _seq.Value;
        }

        /// <summary>Stores the last sequence number used; call before committing a transaction that changed documents.</summary>
        public void SaveSeq()
        {
            if (_seq is { } seq && seq != _savedSeq)
            {
                WorkspaceSchema.WriteMetaValue(_connection, _transaction, "seq", seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
                _savedSeq = seq;
            }
        }

        public List<long> ChunkIdsOf(string id)
        {
            var command = Reused("SELECT id FROM chunks WHERE doc_id = $id ORDER BY ordinal", ("$id", id));
            var ids = new List<long>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetInt64(0));
            }

            return ids;
        }

        /// <summary>Writes one vector for each chunk, after checking it matches the workspace's model and dimension.</summary>
        public void SetEmbeddings(IReadOnlyList<long> chunkIds, float[] vector, string? model)
        {
            EnsureModel(model ?? DocumentRules.ExternalModel(vector.Length), vector.Length);
            var blob = VectorBlob.ToBytes(vector);
            foreach (var chunkId in chunkIds)
            {
                _setEmbedding.Parameters[0].Value = chunkId;
                _setEmbedding.Parameters[1].Value = blob;
                _setEmbedding.ExecuteNonQuery();
                Embedded.Add((chunkId, vector));
            }
        }

        /// <summary>Records the workspace's first embedding model, or refuses vectors of another one.</summary>
        public void EnsureModel(string model, int dimension)
        {
            if (!_modelLoaded)
            {
                _model = ReadModel(_connection, _transaction);
                _modelLoaded = true;
            }

            if (_model is null)
            {
                WorkspaceSchema.WriteMetaValue(_connection, _transaction, "embedding_model", model);
                WorkspaceSchema.WriteMetaValue(_connection, _transaction, "embedding_dimension", dimension.ToString(System.Globalization.CultureInfo.InvariantCulture));
                _model = (model, dimension);
                return;
            }

            var (known, knownDimension) = _model.Value;
            if (knownDimension != dimension || !string.Equals(known, model, StringComparison.Ordinal))
            {
                throw new EmbeddingModelMismatchException(
                    $"This workspace holds {knownDimension}-dimensional vectors of model '{known}'; these are {dimension}-dimensional from '{model}'. " +
                    "Use the same model for every document (or a new workspace).");
            }
        }

        public Existing? Find(string sql, string parameter, string value)
        {
            using var reader = Reused(sql, (parameter, value)).ExecuteReader();
            return reader.Read()
                ? new Existing(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64(4), reader.GetInt32(5), reader.GetInt32(6))
                : null;
        }

        public void Insert(string id, DocumentInput input, string hash, int tokens, long now)
        {
            Execute(InsertDocument, ("$id", id), ("$path", input.Path), ("$content", input.Content), ("$hash", hash),
                ("$tokens", tokens), ("$metadata", (object?)input.MetadataJson ?? DBNull.Value), ("$now", now), ("$seq", NextSeq()));
            Execute("DELETE FROM tombstones WHERE id = $id", ("$id", id));
        }

        public void Update(string id, DocumentInput input, string hash, int tokens, long now) =>
            Execute(UpdateDocument, ("$id", id), ("$path", input.Path), ("$content", input.Content), ("$hash", hash),
                ("$tokens", tokens), ("$metadata", (object?)input.MetadataJson ?? DBNull.Value), ("$now", now), ("$seq", NextSeq()));

        public void RemoveChunks(string id)
        {
            Removed.AddRange(ChunkIdsOf(id));
            Execute(DeleteChunksFromIndex, ("$id", id));
            Execute(DeleteChunks, ("$id", id));
        }

        /// <summary>Deletes a document and leaves a tombstone with the next sequence number so replicas delete it too.</summary>
        public bool Delete(string id)
        {
            RemoveChunks(id);
            if (Execute(DeleteDocument, ("$id", id)) == 0)
            {
                return false;
            }

            Execute("INSERT INTO tombstones(id, seq) VALUES($id, $seq) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq", ("$id", id), ("$seq", NextSeq()));
            return true;
        }

        /// <summary>Runs one statement in the transaction (for the replication apply path).</summary>
        public int Run(string sql, params (string Name, object Value)[] parameters) => Execute(sql, parameters);

        public List<long> AddChunks(string id, string path, IReadOnlyList<Chunk> chunks)
        {
            var ids = new List<long>(chunks.Count);
            foreach (var chunk in chunks)
            {
                var p = _insertChunk.Parameters;
                p[0].Value = id;
                p[1].Value = chunk.Ordinal;
                p[2].Value = chunk.StartLine;
                p[3].Value = chunk.EndLine;
                p[4].Value = chunk.Text;
                p[5].Value = chunk.Tokens;
                _insertChunk.ExecuteNonQuery();
                var rowId = SQLitePCL.raw.sqlite3_last_insert_rowid(_connection.Handle);

                var q = _indexChunk.Parameters;
                q[0].Value = rowId;
                q[1].Value = chunk.Text;
                q[2].Value = path;
                _indexChunk.ExecuteNonQuery();
                ids.Add(rowId);
            }

            Added.AddRange(ids);
            return ids;
        }

        public void Dispose()
        {
            foreach (var command in _commands)
            {
                command.Dispose();
            }
        }

        private int Execute(string sql, params ReadOnlySpan<(string Name, object Value)> parameters) =>
            Reused(sql, parameters).ExecuteNonQuery();

        // One prepared command per statement text for the whole transaction: a batch runs the same few statements
        // for every item, and preparing each anew was a measurable share of an ingest.
        private SqliteCommand Reused(string sql, params ReadOnlySpan<(string Name, object Value)> parameters)
        {
            if (!_bySql.TryGetValue(sql, out var command))
            {
                command = _connection.CreateCommand();
                command.Transaction = _transaction;
                command.CommandText = sql;
                foreach (var (name, _) in parameters)
                {
                    command.Parameters.Add(new SqliteParameter { ParameterName = name });
                }

                _commands.Add(command);
                _bySql.Add(sql, command);
            }

            foreach (var (name, value) in parameters)
            {
                command.Parameters[name].Value = value;
            }

            return command;
        }

        private SqliteCommand Command(string sql, params string[] parameters)
        {
            var command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _commands.Add(command);
            return command;
        }
    }

    private sealed record Existing(string Id, string Path, string Hash, string? Metadata, long Version, int Tokens, int Chunks);
}
