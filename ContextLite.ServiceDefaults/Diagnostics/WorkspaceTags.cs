using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ContextLite.ServiceDefaults.Diagnostics;

/// <summary>
/// Caps the distinct values of the <c>workspace</c> metric tag: the first
/// <see cref="TelemetryOptions.MaxWorkspaceTags"/> workspaces seen keep their own series for the life of the
/// process, every later one is recorded as <see cref="TelemetryOptions.OtherWorkspace"/>.
/// </summary>
/// <remarks>
/// First come, first kept: a workspace never moves between its own series and <c>other</c>, so each series
/// stays monotonic. Deleting a workspace does not free its slot (its series may still be scraped).
/// </remarks>
public sealed class WorkspaceTags
{
    private readonly ConcurrentDictionary<string, string> _kept = new(StringComparer.Ordinal);
    private readonly Lock _addLock = new();
    private readonly int _max;

    /// <summary>Creates the cap from the <c>telemetry</c> options.</summary>
    public WorkspaceTags(IOptions<TelemetryOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _max = options.Value.MaxWorkspaceTags;
    }

    /// <summary>How many workspaces have their own series.</summary>
    public int Count => _kept.Count;

    /// <summary>The tag value to record for <paramref name="workspace"/>: itself, or <c>other</c> past the cap.</summary>
    public string For(string workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (_kept.TryGetValue(workspace, out var kept))
        {
            return kept;
        }

        lock (_addLock)
        {
            if (_kept.TryGetValue(workspace, out kept))
            {
                return kept;
            }

            if (_kept.Count >= _max)
            {
                return TelemetryOptions.OtherWorkspace;
            }

            _kept[workspace] = workspace;
            return workspace;
        }
    }

    /// <summary>True when <paramref name="workspace"/> has its own series (observable gauges report only those).</summary>
    public bool IsKept(string workspace) => _kept.ContainsKey(workspace);
}
