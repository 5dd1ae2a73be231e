using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ContextLite.Storage;

public sealed partial class WorkspaceStore
{
    /// <summary>
    /// Applies the prepared items of a batch in one transaction. <paramref name="validated"/> holds the items
    /// that failed validation; it is read, not changed, so the batch can be applied a second time. With
    /// <paramref name="waitFor"/>, item i is applied once <paramref name="waitFor"/>(i) returns (still being prepared).
    /// </summary>
    /// <remarks>
    /// Without <paramref name="savepoints"/> (the first attempt), no item has a savepoint of its own: opening
    /// one makes FTS5 flush its pending terms into a new index segment, which cost ~200 µs of CPU an item in the
    /// ingest benchmark, plus the merging of those small segments later. That is safe because an item that
    /// fails with an expected error (a path owned by another document, vectors of another model) fails before
    /// it writes anything. An item that throws in the middle of its writes (a SQLite error) rolls back the
    /// whole transaction and returns null: the caller then applies the batch again with a savepoint per item,
    /// so a failing item still leaves no trace and the others are written.
    /// </remarks>
    private UpsertResult[]? WriteBatch(Prepared?[] prepared, UpsertResult[] validated, bool atomic, bool savepoints, Action<int>? waitFor = null)
    {
        var results = new UpsertResult[validated.Length];
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var writer = new Writer(connection, transaction);
        var version = ParseLong(WorkspaceSchema.ReadMetaValue(connection, transaction, "version"));
        var now = NowUnixMs();
        var changed = false;

        for (var i = 0; i < prepared.Length; i++)
        {
            // Pipelined batches: item i may still be in preparation; its validation result is read after it is done.
            waitFor?.Invoke(i);
            if (prepared[i] is not { } item)
            {
                results[i] = validated[i];
                continue;
            }

            if (savepoints)
            {
                transaction.Save("item");
            }

            var mark = writer.Mark();
            try
            {
                results[i] = Apply(writer, i, item, now);
                if (results[i].Status is UpsertStatus.Error)
                {
                    if (savepoints)
                    {
                        transaction.Rollback("item");
                    }

                    writer.Reset(mark);
                }
                else if (results[i].Status is not UpsertStatus.Unchanged)
                {
                    version++;
                    changed = true;
                }
            }
            catch (SqliteException ex)
            {
                if (!savepoints)
                {
                    return null;
                }

                transaction.Rollback("item");
                writer.Reset(mark);
                results[i] = UpsertResult.Failed(i, item.Input.Id, item.Input.Path, "Could not store the document: " + ex.Message);
            }
            catch (EmbeddingModelMismatchException ex)
            {
                if (!savepoints)
                {
                    return null;
                }

                transaction.Rollback("item");
                writer.Reset(mark);
                results[i] = UpsertResult.Failed(i, item.Input.Id, item.Input.Path, ex.Message, conflict: true);
            }

            if (savepoints)
            {
                transaction.Release("item");
            }
        }

        if (atomic && results.Any(r => r.Status is UpsertStatus.Error))
        {
            transaction.Rollback();
            return FailRest(results, prepared, "Not written: another item of this request was rejected.");
        }

        if (changed)
        {
            writer.SaveSeq();
            WorkspaceSchema.WriteMetaValue(connection, transaction, "version", version.ToString(CultureInfo.InvariantCulture));
            WorkspaceSchema.WriteMetaValue(connection, transaction, "updated_at", now.ToString(CultureInfo.InvariantCulture));
        }

        transaction.Commit();
        Raise(writer, version);
        return results;
    }
}
