using System.Buffers.Binary;
using System.Numerics;

namespace ContextLite.Text;

/// <summary>
/// Token counts of recently seen pieces of several tokens, keyed by their UTF-8 bytes (up to 16), in a
/// fixed direct-mapped table: a new piece takes its slot from whatever was there, so memory stays bounded
/// and the table keeps the vocabulary of the text being ingested now.
/// </summary>
/// <remarks>
/// A piece that is one token is answered by one probe of the rank table and is not stored. Of the rest, most
/// repeat (identifiers, inflected words): a hit costs a hash and two loads instead of a byte-pair merge.
/// Entries are immutable objects swapped by reference, so threads share the table without locks and never
/// see half an entry; a lost race only costs a later miss.
/// </remarks>
internal sealed class PieceCountCache
{
    /// <summary>Longer pieces are rare and not stored.</summary>
    public const int MaxBytes = 16;

    private readonly Entry?[] _entries;
    private readonly int _mask;

    /// <param name="capacity">Slots; rounded up to a power of two.</param>
    public PieceCountCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _entries = new Entry?[BitOperations.RoundUpToPowerOf2((uint)capacity)];
        _mask = _entries.Length - 1;
    }

    /// <summary>The number of slots.</summary>
    public int Capacity => _entries.Length;

    /// <summary>The stored count of <paramref name="piece"/>, if it is in the table.</summary>
    public bool TryGet(ReadOnlySpan<byte> piece, out int count)
    {
        count = 0;
        if (piece.Length > MaxBytes)
        {
            return false;
        }

        var (low, high) = Pack(piece);
        var entry = _entries[Slot(low, high, piece.Length)];
        if (entry is null || entry.Low != low || entry.High != high || entry.Length != piece.Length)
        {
            return false;
        }

        count = entry.Count;
        return true;
    }

    /// <summary>Stores the count of <paramref name="piece"/>, replacing whatever held its slot; longer pieces are ignored.</summary>
    public void Set(ReadOnlySpan<byte> piece, int count)
    {
        if (piece.Length > MaxBytes)
        {
            return;
        }

        var (low, high) = Pack(piece);
        _entries[Slot(low, high, piece.Length)] = new Entry(low, high, piece.Length, count);
    }

    private int Slot(ulong low, ulong high, int length)
    {
        // murmur3's finaliser over the two words and the length, so every byte reaches the index bits.
        var hash = (low * 0x9E37_79B9_7F4A_7C15) ^ BitOperations.RotateLeft(high * 0xC2B2_AE3D_27D4_EB4F, 31) ^ (ulong)length;
        hash = (hash ^ (hash >> 33)) * 0xFF51_AFD7_ED55_8CCD;
        hash = (hash ^ (hash >> 33)) * 0xC4CE_B9FE_1A85_EC53;
        return (int)(hash ^ (hash >> 33)) & _mask;
    }

    // Up to 16 bytes as two little-endian words, zero-padded; the length is compared apart.
    private static (ulong Low, ulong High) Pack(ReadOnlySpan<byte> piece)
    {
        Span<byte> buffer = stackalloc byte[MaxBytes];
        buffer.Clear();
        piece.CopyTo(buffer);
        return (BinaryPrimitives.ReadUInt64LittleEndian(buffer), BinaryPrimitives.ReadUInt64LittleEndian(buffer[8..]));
    }

    private sealed class Entry(ulong low, ulong high, int length, int count)
    {
        public ulong Low { get; } = low;

        public ulong High { get; } = high;

        public int Length { get; } = length;

        public int Count { get; } = count;
    }
}
