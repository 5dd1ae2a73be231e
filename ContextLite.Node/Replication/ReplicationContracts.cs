using System.Text.Json.Serialization;

namespace ContextLite.Node.Replication;

/// <summary>A replica's pull: who it is, how long the primary may hold the answer, and how far it follows each workspace.</summary>
internal sealed record PullRequest(string Node, int WaitMs, IReadOnlyList<PullPosition> Workspaces);

/// <summary>How far a replica follows one workspace: the source (<c>node/epoch</c>) and the primary's sequence number applied.</summary>
internal sealed record PullPosition(string Workspace, string? Source, long Applied);

/// <summary>
/// The primary's answer: changes per workspace, workspaces it no longer has (<c>gone</c>: delete the copy), those it is
/// no longer the primary of (<c>moved</c>: pull them from the new primary) and those the caller no longer holds
/// (<c>drop</c>: the cluster's nodes changed and the workspace's new copies are complete).
/// </summary>
internal sealed record PullResponse(string Node, IReadOnlyList<PullBatch> Workspaces, IReadOnlyList<string> Gone, IReadOnlyList<string> Moved)
{
    /// <summary>Workspaces whose placement no longer includes the caller and whose placement nodes all caught up: drop the copy.</summary>
    public IReadOnlyList<string> Drop { get; init; } = [];

    /// <summary>The head of every workspace the caller follows here with nothing new to pull: its copy is caught up to it.</summary>
    public IReadOnlyDictionary<string, long> Heads { get; init; } = new Dictionary<string, long>();
}

/// <summary>
/// One workspace's page of the log. <c>resync</c>: the replica's copy follows another source (or none), so this page
/// starts a snapshot from sequence 0.
/// </summary>
internal sealed record PullBatch(string Workspace, string Source, bool Resync, long Head, long Through, IReadOnlyList<WireChange> Changes);

/// <summary>A change on the wire; vectors are base64 of little-endian float32 per chunk.</summary>
internal sealed record WireChange(
    long Seq,
    string Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Deleted,
    string? Path,
    string? Content,
    string? Metadata,
    long Version,
    IReadOnlyList<string>? Vectors,
    string? Model);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PullRequest))]
[JsonSerializable(typeof(PullResponse))]
internal sealed partial class ReplicationJson : JsonSerializerContext;
