using ContextLite.Text;

namespace ContextLite.Core.Tests.Text;

public sealed class PieceCountCacheTests
{
    [Fact]
    public void TryGet_AfterSet_ReturnsTheCount()
    {
        // Arrange
        var cache = new PieceCountCache(1_024);
        cache.Set("ToString"u8, 2);

        // Act
        var found = cache.TryGet("ToString"u8, out var count);

        // Assert
        Assert.True(found);
        Assert.Equal(2, count);
    }

    [Fact]
    public void TryGet_NeverSet_ReturnsFalse()
    {
        // Arrange
        var cache = new PieceCountCache(1_024);
        cache.Set("ToString"u8, 2);

        // Act + Assert
        Assert.False(cache.TryGet("ToStrinG"u8, out _));
    }

    [Fact]
    public void TryGet_SameBytesPaddedWithZeros_IsAnotherPiece()
    {
        // Arrange: keys are zero-padded words, so the length must tell "ab" from "ab\0".
        var cache = new PieceCountCache(1);
        cache.Set("ab"u8, 5);

        // Act + Assert
        Assert.False(cache.TryGet("ab\0"u8, out _));
        Assert.True(cache.TryGet("ab"u8, out var count));
        Assert.Equal(5, count);
    }

    [Fact]
    public void Set_SecondPieceInTheSameSlot_ReplacesTheFirst()
    {
        // Arrange: one slot, so every piece shares it.
        var cache = new PieceCountCache(1);
        cache.Set("first"u8, 2);

        // Act
        cache.Set("second"u8, 3);

        // Assert
        Assert.False(cache.TryGet("first"u8, out _));
        Assert.True(cache.TryGet("second"u8, out var count));
        Assert.Equal(3, count);
    }

    [Fact]
    public void Set_PieceLongerThanTheKey_IsNotStored()
    {
        // Arrange
        var cache = new PieceCountCache(1_024);
        var longPiece = "ThisIdentifierIsLongerThanSixteenBytes"u8;

        // Act
        cache.Set(longPiece, 9);

        // Assert
        Assert.False(cache.TryGet(longPiece, out _));
    }

    [Fact]
    public void TryGet_SixteenBytePiecesDifferingOnlyInTheLastByte_AreDistinct()
    {
        // Arrange
        var cache = new PieceCountCache(1);
        cache.Set("0123456789abcdeX"u8, 4);

        // Act + Assert
        Assert.False(cache.TryGet("0123456789abcdeY"u8, out _));
        Assert.True(cache.TryGet("0123456789abcdeX"u8, out var count));
        Assert.Equal(4, count);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1_000, 1_024)]
    [InlineData(131_072, 131_072)]
    public void Capacity_RoundsUpToAPowerOfTwo(int requested, int expected)
    {
        // Act
        var cache = new PieceCountCache(requested);

        // Assert
        Assert.Equal(expected, cache.Capacity);
    }
}
