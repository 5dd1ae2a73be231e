using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace ContextLite.Cluster;

/// <summary>
/// A consistent hash ring over node ids with virtual nodes: maps a key (a workspace id) to the nodes that
/// own it, in clockwise order from the key's point.
/// </summary>
/// <remarks>
/// <para>
/// Invariants. (1) The ring is a pure function of the <em>set</em> of node ids and the virtual-node count:
/// every process (gateway replicas, nodes, tests) that is given the same ids builds the same ring, because
/// points are XxHash64 of UTF-8 text (never <see cref="string.GetHashCode()"/>, which is randomised per
/// process) and ties are broken by the ordinal order of node ids, not by input order. (2) The ring is built
/// from <em>all</em> configured nodes, never only the healthy ones: health is applied while walking
/// (<see cref="Pick"/>), so a node that fails moves only the keys it owned, to the next node clockwise, and
/// they come back when it returns; no other key moves. (3) Adding one node to N moves about 1/(N+1) of the
/// keys, and every moved key moves to the new node (its points only split existing arcs).
/// </para>
/// <para>
/// Each node owns <c>virtualNodes</c> points (<c>"{node}#{i}"</c> hashed); more points spread keys more
/// evenly (128 per node keeps three nodes within a few percent of even). Lookup is a binary search over a
/// sorted <see cref="ulong"/> array of points (lower bound, wrapping to the first point), so it costs
/// O(log(N·V)) and allocates nothing for keys up to 256 bytes.
/// </para>
/// </remarks>
public sealed class HashRing
{
    /// <summary>Virtual nodes per node when none is given.</summary>
    public const int DefaultVirtualNodes = 128;

    private const int StackLimit = 256;

    private readonly string[] _nodes;
    private readonly ulong[] _points;
    private readonly int[] _owners;

    /// <summary>Builds a ring over <paramref name="nodeIds"/> (duplicates and blanks are ignored).</summary>
    /// <param name="nodeIds">Every configured node, healthy or not.</param>
    /// <param name="virtualNodes">Points per node, 1-4096.</param>
    public HashRing(IEnumerable<string> nodeIds, int virtualNodes = DefaultVirtualNodes)
    {
        ArgumentNullException.ThrowIfNull(nodeIds);
        ArgumentOutOfRangeException.ThrowIfLessThan(virtualNodes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(virtualNodes, 4096);

        _nodes = nodeIds.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim())
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        VirtualNodes = virtualNodes;

        var count = _nodes.Length * virtualNodes;
        _points = new ulong[count];
        _owners = new int[count];
        var at = 0;
        for (var node = 0; node < _nodes.Length; node++)
        {
            for (var v = 0; v < virtualNodes; v++)
            {
                _points[at] = Hash($"{_nodes[node]}#{v}");
                _owners[at] = node;
                at++;
            }
        }

        // Sorting points with their owners; equal points (vanishingly rare) stay in node order because the
        // sort key includes the owner index, which follows the ordinal order of ids.
        var order = Enumerable.Range(0, count).ToArray();
        Array.Sort(order, (a, b) => _points[a] != _points[b] ? _points[a].CompareTo(_points[b]) : _owners[a].CompareTo(_owners[b]));
        _points = order.Select(i => _points[i]).ToArray();
        _owners = order.Select(i => _owners[i]).ToArray();
    }

    /// <summary>The distinct node ids on the ring, in ordinal order.</summary>
    public IReadOnlyList<string> Nodes => _nodes;

    /// <summary>Points per node.</summary>
    public int VirtualNodes { get; }

    /// <summary>The stable 64-bit hash of <paramref name="text"/> (XxHash64 of its UTF-8 bytes, seed 0).</summary>
    public static ulong Hash(ReadOnlySpan<char> text)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        var buffer = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var written = Encoding.UTF8.GetBytes(text, buffer);
            return XxHash64.HashToUInt64(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The node that owns <paramref name="key"/> regardless of health, or null on an empty ring.</summary>
    public string? Owner(string key) => _points.Length == 0 ? null : _nodes[_owners[StartIndex(key)]];

    /// <summary>Every distinct node in clockwise order from <paramref name="key"/>'s point; the first is the owner.</summary>
    public IReadOnlyList<string> Walk(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_points.Length == 0)
        {
            return [];
        }

        var result = new List<string>(_nodes.Length);
        Span<bool> seen = _nodes.Length <= StackLimit ? stackalloc bool[_nodes.Length] : new bool[_nodes.Length];
        var start = StartIndex(key);
        for (var step = 0; step < _points.Length && result.Count < _nodes.Length; step++)
        {
            var owner = _owners[(start + step) % _points.Length];
            if (!seen[owner])
            {
                seen[owner] = true;
                result.Add(_nodes[owner]);
            }
        }

        return result;
    }

    /// <summary>
    /// The first node on <paramref name="key"/>'s walk for which <paramref name="isHealthy"/> is true, or null
    /// when none is; each node is asked at most once.
    /// </summary>
    public string? Pick(string key, Func<string, bool> isHealthy)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(isHealthy);
        if (_points.Length == 0)
        {
            return null;
        }

        Span<bool> seen = _nodes.Length <= StackLimit ? stackalloc bool[_nodes.Length] : new bool[_nodes.Length];
        var start = StartIndex(key);
        var asked = 0;
        for (var step = 0; step < _points.Length && asked < _nodes.Length; step++)
        {
            var owner = _owners[(start + step) % _points.Length];
            if (seen[owner])
            {
                continue;
            }

            seen[owner] = true;
            asked++;
            if (isHealthy(_nodes[owner]))
            {
                return _nodes[owner];
            }
        }

        return null;
    }

    // Lower bound: the first point >= the key's hash, wrapping past the largest point to the first.
    private int StartIndex(string key)
    {
        var hash = Hash(key);
        int lo = 0, hi = _points.Length;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (_points[mid] < hash)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo == _points.Length ? 0 : lo;
    }
}
