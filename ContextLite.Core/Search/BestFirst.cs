using System.Runtime.InteropServices;

namespace ContextLite.Search;

/// <summary>
/// The order of every ranked list: higher score first, ties by the smaller id. A struct comparer, so a span sort
/// is specialised and inlined by the JIT instead of calling a delegate per comparison (the query path sorts
/// thousands of scored cluster members per query).
/// </summary>
internal readonly struct BestFirst : IComparer<ScoredId>
{
    public int Compare(ScoredId a, ScoredId b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Id.CompareTo(b.Id);

    /// <summary>Sorts <paramref name="scored"/> in place, best first.</summary>
    public static void Sort(List<ScoredId> scored) => CollectionsMarshal.AsSpan(scored).Sort(default(BestFirst));

    /// <summary>Sorts <paramref name="scored"/> in place, best first.</summary>
    public static void Sort(Span<ScoredId> scored) => scored.Sort(default(BestFirst));
}
