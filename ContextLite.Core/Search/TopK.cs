namespace ContextLite.Search;

/// <summary>
/// The k best (id, score) pairs seen so far, kept in a binary min-heap whose root is the worst kept pair, so a
/// candidate that cannot enter costs one comparison. Order: higher score first, then the smaller id, which makes
/// the kept set unique and independent of the order candidates arrive in.
/// </summary>
internal ref struct TopK
{
    private readonly Span<ScoredId> _heap;
    private int _count;

    public TopK(Span<ScoredId> buffer)
    {
        _heap = buffer;
        _count = 0;
    }

    public readonly int Count => _count;

    /// <summary>Offers a candidate; kept when the heap is not full or it beats the worst kept pair.</summary>
    public void Offer(long id, float score)
    {
        if (_count < _heap.Length)
        {
            _heap[_count] = new ScoredId(id, score);
            SiftUp(_count++);
            return;
        }

        if (_heap.Length == 0 || !IsBetter(score, id, _heap[0]))
        {
            return;
        }

        _heap[0] = new ScoredId(id, score);
        SiftDown(0);
    }

    /// <summary>The kept pairs, best first.</summary>
    public readonly ScoredId[] ToSortedArray()
    {
        var result = _heap[.._count].ToArray();
        BestFirst.Sort(result);
        return result;
    }

    private static bool IsBetter(float score, long id, ScoredId other) =>
        score > other.Score || (score == other.Score && id < other.Id);

    private static bool IsBetter(ScoredId a, ScoredId b) => IsBetter(a.Score, a.Id, b);

    private readonly void SiftUp(int index)
    {
        while (index > 0)
        {
            int parent = (index - 1) >> 1;
            if (!IsBetter(_heap[parent], _heap[index]))
            {
                return;
            }

            (_heap[parent], _heap[index]) = (_heap[index], _heap[parent]);
            index = parent;
        }
    }

    private readonly void SiftDown(int index)
    {
        while (true)
        {
            int left = (2 * index) + 1;
            if (left >= _count)
            {
                return;
            }

            int worst = left;
            int right = left + 1;
            if (right < _count && IsBetter(_heap[left], _heap[right]))
            {
                worst = right;
            }

            if (!IsBetter(_heap[index], _heap[worst]))
            {
                return;
            }

            (_heap[index], _heap[worst]) = (_heap[worst], _heap[index]);
            index = worst;
        }
    }
}
