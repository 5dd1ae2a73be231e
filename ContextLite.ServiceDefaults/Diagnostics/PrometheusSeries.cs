namespace ContextLite.ServiceDefaults.Diagnostics;

/// <summary>
/// One instrument's Prometheus metric, as <see cref="PrometheusMeterBridge"/> writes it. For observable gauges
/// (<paramref name="remove"/> set) it remembers the label sets of the last observation, so that a label set the
/// callback stops reporting (a deleted workspace) is removed instead of showing its last value for ever.
/// </summary>
internal sealed class PrometheusSeries(string[] labelKeys, Action<string[], double> record, Action<string[]>? remove = null)
{
    private readonly Dictionary<string, string[]> _reported = new(StringComparer.Ordinal);
    private HashSet<string>? _observed;

    public string[] LabelKeys { get; } = labelKeys;

    public void Record(string[] values, double value)
    {
        record(values, value);
        if (remove is not null)
        {
            lock (_reported)
            {
                var key = string.Join('\u001f', values);
                _reported[key] = values;
                _observed?.Add(key);
            }
        }
    }

    public void BeginObservation()
    {
        if (remove is not null)
        {
            lock (_reported)
            {
                _observed = new HashSet<string>(StringComparer.Ordinal);
            }
        }
    }

    public void EndObservation()
    {
        if (remove is null)
        {
            return;
        }

        lock (_reported)
        {
            // A series created during this observation never began one: everything it holds was just reported.
            if (_observed is not { } observed)
            {
                return;
            }

            foreach (var (key, values) in _reported.Where(p => !observed.Contains(p.Key)).ToList())
            {
                remove(values);
                _reported.Remove(key);
            }

            _observed = null;
        }
    }
}
