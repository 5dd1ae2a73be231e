using ContextLite.Storage;

namespace ContextLite.Core.Tests.Storage;

public sealed class DocumentRulesTests
{
    private static readonly StorageOptions s_options = new() { MaxDocumentBytes = 100, MaxMetadataBytes = 20, MaxPathLength = 12, MaxIdLength = 5 };

    [Fact]
    public void DeriveId_KnownPath_IsPrefixedFirst128BitsOfSha256()
    {
        // Act
        var id = DocumentRules.DeriveId("docs/readme.md");

        // Assert: SHA-256("docs/readme.md") = 311fffb2f63c2d97ead8bee2b1b6ea35591871552bc00d572c3670212b043a34.
        Assert.Equal("p_311fffb2f63c2d97ead8bee2b1b6ea35", id);
    }

    [Fact]
    public void DeriveId_PathsThatDifferOnlyInCase_GiveDifferentIds()
    {
        // Act + Assert
        Assert.NotEqual(DocumentRules.DeriveId("A.md"), DocumentRules.DeriveId("a.md"));
    }

    [Fact]
    public void ContentHash_KnownText_IsLowerCaseSha256Hex()
    {
        // Act
        var hash = DocumentRules.ContentHash("docs/readme.md");

        // Assert
        Assert.Equal("311fffb2f63c2d97ead8bee2b1b6ea35591871552bc00d572c3670212b043a34", hash);
    }

    [Theory]
    [InlineData(null, "a.md", "text", null)]
    [InlineData("abcde", "123456789012", "text", null)]
    [InlineData(null, "a.md", "日本", "{}")]
    [InlineData(null, "dir/a b.md", "  padded  ", null)]
    public void Validate_AcceptableDocument_ReturnsNull(string? id, string path, string content, string? metadata)
    {
        // Act
        var error = DocumentRules.Validate(new DocumentInput(id, path, content, metadata), s_options);

        // Assert
        Assert.Null(error);
    }

    [Theory]
    [InlineData("", "a.md", "text", null, "blank")]
    [InlineData("  ", "a.md", "text", null, "blank")]
    [InlineData("abcdef", "a.md", "text", null, "limit is 5")]
    [InlineData("a\tb", "a.md", "text", null, "control")]
    [InlineData(null, " ", "text", null, "required")]
    [InlineData(null, "1234567890123", "text", null, "limit is 12")]
    [InlineData(null, "a\nb", "text", null, "control")]
    [InlineData(null, "a.md", "", null, "empty")]
    [InlineData(null, "a.md", " \r\n\t", null, "white space")]
    [InlineData(null, "a.md", "a\0b", null, "NUL")]
    [InlineData(null, "a.md", "text", "{\"key\":\"a long value\"}", "metadata")]
    public void Validate_UnacceptableDocument_SaysWhy(string? id, string path, string content, string? metadata, string fragment)
    {
        // Act
        var error = DocumentRules.Validate(new DocumentInput(id, path, content, metadata), s_options);

        // Assert
        Assert.NotNull(error);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ContentOverByteLimitInUtf8_IsRejectedEvenUnderCharacterLimit()
    {
        // Arrange: 40 characters but 120 bytes of UTF-8.
        var content = string.Concat(Enumerable.Repeat("日", 40));

        // Act
        var error = DocumentRules.Validate(new DocumentInput(null, "a.md", content), s_options);

        // Assert
        Assert.NotNull(error);
        Assert.Contains("120 bytes", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("content")]
    [InlineData("path")]
    [InlineData("id")]
    [InlineData("metadata")]
    public void Validate_LoneSurrogateAnywhere_IsRejected(string field)
    {
        // Arrange
        var bad = "x" + '\udc00';
        var input = field switch
        {
            "content" => new DocumentInput(null, "a.md", bad),
            "path" => new DocumentInput(null, bad, "text"),
            "id" => new DocumentInput(bad, "a.md", "text"),
            _ => new DocumentInput(null, "a.md", "text", bad),
        };

        // Act
        var error = DocumentRules.Validate(input, s_options);

        // Assert
        Assert.NotNull(error);
        Assert.Contains("surrogate", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WellFormedSurrogatePair_IsAccepted()
    {
        // Act
        var error = DocumentRules.Validate(new DocumentInput(null, "😀.md", "emoji 😀 at the end 😀"), s_options);

        // Assert
        Assert.Null(error);
    }
}
