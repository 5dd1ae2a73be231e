using System.Buffers;

namespace ContextLite.Selection;

/// <summary>
/// The depth-first search behind <see cref="BranchAndBoundSelector"/>, over pooled buffers that live for one solve.
/// </summary>
/// <remarks>
/// <para>
/// A node is a partial selection <c>S</c> (the path of included candidates) plus an ordered list of candidates that
/// may still be added. Per include-depth the search keeps the candidates' optimistic gains
/// <c>g_k = relevance_k − Σ_{j∈S} λ·redundancy_kj</c> and the list sorted by <c>g_k / tokens_k</c>; candidates whose
/// gain is not positive or that no longer fit are dropped, because adding them can never raise the objective:
/// penalties against later additions only lower a gain further.
/// </para>
/// <para>
/// A frame branches on the head of its list (the best gain per token): first "include it" (a child frame whose list is
/// the rest with gains lowered by the head's penalty row, re-sorted by insertion since it is nearly sorted), then
/// "exclude it" (drop the head and loop). Excluding keeps gains and order, so a frame sorts only once. Before each
/// branch the frame proves <c>objective(S) + KnapsackBound(list)</c> and stops when that cannot beat the incumbent.
/// </para>
/// <para>
/// Anytime: every 1,024 nodes the clock and the cancellation token are read. On timeout each frame on the stack,
/// unwinding, contributes its last bound, which covers everything it had not finished; everything else was explored
/// or pruned against the incumbent. The maximum of those and the incumbent is therefore a proven upper bound.
/// </para>
/// </remarks>
internal sealed class BranchAndBoundSearch : IDisposable
{
    private const int ClockInterval = 1024;

    private readonly SelectionModel model;
    private readonly int n;
    private readonly TimeProvider timeProvider;
    private readonly long deadline;
    private readonly CancellationToken cancellationToken;
    private readonly double[] gains;
    private readonly int[] lists;
    private readonly int[] lengths;
    private readonly double[] keys;
    private readonly int[] path;
    private readonly bool[] incumbent;

    public BranchAndBoundSearch(SelectionModel model, TimeProvider timeProvider, long deadline, CancellationToken cancellationToken)
    {
        this.model = model;
        this.timeProvider = timeProvider;
        this.deadline = deadline;
        this.cancellationToken = cancellationToken;
        n = model.Count;

        // Each include costs at least the smallest token count, so the include depth is bounded by the budget too.
        var minTokens = n == 0 ? 1 : model.Tokens.Min();
        var depth = Math.Min(model.MaxItems, Math.Min(n, model.MaxTokens / minTokens));
        var levels = (depth + 1) * n;
        gains = ArrayPool<double>.Shared.Rent(Math.Max(levels, 1));
        lists = ArrayPool<int>.Shared.Rent(Math.Max(levels, 1));
        lengths = ArrayPool<int>.Shared.Rent(depth + 1);
        keys = ArrayPool<double>.Shared.Rent(Math.Max(n, 1));
        path = ArrayPool<int>.Shared.Rent(Math.Max(depth, 1));
        incumbent = ArrayPool<bool>.Shared.Rent(Math.Max(n, 1));

        model.Relevance.CopyTo(gains, 0);
        lengths[0] = KnapsackBound.RootCandidates(model, lists.AsSpan(0, n), keys.AsSpan(0, n));
        RootBound = KnapsackBound.Compute(lists.AsSpan(0, lengths[0]), model.Relevance, model.Tokens, model.MaxTokens, model.MaxItems, keys);
    }

    /// <summary>The bound before any branching: relevances only.</summary>
    public double RootBound { get; }

    /// <summary>The best selection found so far (flags over the candidates).</summary>
    public Span<bool> Incumbent => incumbent.AsSpan(0, n);

    /// <summary>The objective of <see cref="Incumbent"/>; set it when seeding the incumbent.</summary>
    public double IncumbentObjective { get; set; }

    public long Nodes { get; private set; }

    /// <summary>Whether the search stopped at the deadline rather than proving optimality.</summary>
    public bool TimedOut { get; private set; }

    /// <summary>After a timeout, the best bound over the parts of the tree left unexplored.</summary>
    public double OpenBound { get; private set; } = double.NegativeInfinity;

    /// <summary>Searches until the incumbent is proven optimal or the deadline passes; throws when cancelled.</summary>
    public void Run() => Frame(level: 0, objective: 0, used: 0, count: 0);

    public void Dispose()
    {
        ArrayPool<bool>.Shared.Return(incumbent);
        ArrayPool<int>.Shared.Return(path);
        ArrayPool<double>.Shared.Return(keys);
        ArrayPool<int>.Shared.Return(lengths);
        ArrayPool<int>.Shared.Return(lists);
        ArrayPool<double>.Shared.Return(gains);
    }

    private void Frame(int level, double objective, int used, int count)
    {
        if (objective > IncumbentObjective + GreedySearch.Tolerance(IncumbentObjective))
        {
            Record(objective, count);
        }

        if (count >= model.MaxItems)
        {
            return;
        }

        var tokens = model.Tokens;
        var room = model.MaxTokens - used;
        var list = lists.AsSpan(level * n, lengths[level]);
        var levelGains = gains.AsSpan(level * n, n);
        for (var start = 0; start < list.Length; start++)
        {
            var rest = list[start..];
            var bound = objective + KnapsackBound.Compute(rest, levelGains, tokens, room, model.MaxItems - count, keys);
            if (bound <= IncumbentObjective + GreedySearch.Tolerance(IncumbentObjective))
            {
                return;
            }

            if (++Nodes % ClockInterval == 0 && OutOfTime())
            {
                TimedOut = true;
            }

            if (!TimedOut)
            {
                var head = rest[0];
                BuildChild(level, rest[1..], head, room - tokens[head]);
                path[count] = head;
                Frame(level + 1, objective + levelGains[head], used + tokens[head], count + 1);
            }

            if (TimedOut)
            {
                OpenBound = Math.Max(OpenBound, bound);
                return;
            }
        }
    }

    /// <summary>Writes the list and gains of the child that includes <paramref name="head"/>.</summary>
    private void BuildChild(int level, ReadOnlySpan<int> rest, int head, int room)
    {
        var tokens = model.Tokens;
        var parentGains = gains.AsSpan(level * n, n);
        var childGains = gains.AsSpan((level + 1) * n, n);
        var childList = lists.AsSpan((level + 1) * n, n);
        var penalties = model.HasPenalty ? model.PenaltyRow(head) : default;
        var m = 0;
        foreach (var k in rest)
        {
            if (tokens[k] > room)
            {
                continue;
            }

            var gain = penalties.IsEmpty ? parentGains[k] : parentGains[k] - penalties[k];
            if (gain <= 0)
            {
                continue;
            }

            childGains[k] = gain;
            var key = gain / tokens[k];
            var at = m++;
            while (at > 0 && keys[at - 1] < key)
            {
                keys[at] = keys[at - 1];
                childList[at] = childList[at - 1];
                at--;
            }

            keys[at] = key;
            childList[at] = k;
        }

        lengths[level + 1] = m;
    }

    private void Record(double objective, int count)
    {
        IncumbentObjective = objective;
        var flags = Incumbent;
        flags.Clear();
        foreach (var k in path.AsSpan(0, count))
        {
            flags[k] = true;
        }
    }

    private bool OutOfTime()
    {
        cancellationToken.ThrowIfCancellationRequested();
        return timeProvider.GetTimestamp() >= deadline;
    }
}
