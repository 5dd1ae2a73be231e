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
        private readonly SqliteCommand _insertChunk;
        private readonly SqliteCommand _indexChunk;

        public Writer(SqliteConnection connection, SqliteTransaction transaction)
        {
            _connection = connection;
            _transaction = transaction;
            _insertChunk = Command(InsertChunk, "$doc", "$ordinal", "$start", "$end", "$text", "$tokens");
            _indexChunk = Command(InsertChunkIntoIndex, "$rowid", "$text", "$path");
        }

        public Existing? Find(string sql, string parameter, string value)
        {
            using var command = Command(sql, parameter);
            _commands.Remove(command);
            command.Parameters[0].Value = value;
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new Existing(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64(4), reader.GetInt32(5), reader.GetInt32(6))
                : null;
        }

        public void Insert(string id, DocumentInput input, string hash, int tokens, long now) =>
            Execute(InsertDocument, ("$id", id), ("$path", input.Path), ("$content", input.Content), ("$hash", hash),
                ("$tokens", tokens), ("$metadata", (object?)input.MetadataJson ?? DBNull.Value), ("$now", now));

        public void Update(string id, DocumentInput input, string hash, int tokens, long now) =>
            Execute(UpdateDocument, ("$id", id), ("$path", input.Path), ("$content", input.Content), ("$hash", hash),
                ("$tokens", tokens), ("$metadata", (object?)input.MetadataJson ?? DBNull.Value), ("$now", now));

        public void RemoveChunks(string id)
        {
            Execute(DeleteChunksFromIndex, ("$id", id));
            Execute(DeleteChunks, ("$id", id));
        }

        public bool Delete(string id)
        {
            RemoveChunks(id);
            return Execute(DeleteDocument, ("$id", id)) > 0;
        }

        public void AddChunks(string id, string path, IReadOnlyList<Chunk> chunks)
        {
            foreach (var chunk in chunks)
            {
                var p = _insertChunk.Parameters;
                p[0].Value = id;
                p[1].Value = chunk.Ordinal;
                p[2].Value = chunk.StartLine;
                p[3].Value = chunk.EndLine;
                p[4].Value = chunk.Text;
                p[5].Value = chunk.Tokens;
                var rowId = (long)_insertChunk.ExecuteScalar()!;

                var q = _indexChunk.Parameters;
                q[0].Value = rowId;
                q[1].Value = chunk.Text;
                q[2].Value = path;
                _indexChunk.ExecuteNonQuery();
            }
        }

        public void Dispose()
        {
            foreach (var command in _commands)
            {
                command.Dispose();
            }
        }

        private int Execute(string sql, params (string Name, object Value)[] parameters)
        {
            using var command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            return command.ExecuteNonQuery();
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
