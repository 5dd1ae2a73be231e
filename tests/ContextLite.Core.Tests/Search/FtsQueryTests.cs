using ContextLite.Search;

namespace ContextLite.Core.Tests.Search;

public sealed class FtsQueryTests
{
    [Fact]
    public void Parse_FtsOperatorsAndQuotes_BecomeQuotedWords()
    {
        var query = FtsQuery.Parse("foo AND \"bar\" -baz* NEAR(qux, 2) col:value");

        Assert.Equal(["foo", "bar", "baz", "near", "qux", "2", "col", "value"], query.Terms);
        Assert.Equal("\"foo\" OR \"bar\" OR \"baz\" OR \"near\" OR \"qux\" OR \"2\" OR \"col\" OR \"value\"", query.Expression);
    }

    [Fact]
    public void Parse_StopWordsAmongOtherWords_AreDropped()
    {
        var query = FtsQuery.Parse("How are documents stored in the workspace?");

        Assert.Equal(["documents", "stored", "workspace"], query.Terms);
    }

    [Fact]
    public void Parse_OnlyStopWords_KeepsThem()
    {
        Assert.Equal(["what", "is", "it"], FtsQuery.Parse("What is it?").Terms);
    }

    [Fact]
    public void Parse_RepeatedWordsInAnyCase_KeptOnceInOrderOfFirstAppearance()
    {
        Assert.Equal(["beta", "alpha"], FtsQuery.Parse("Beta alpha BETA Alpha beta").Terms);
    }

    [Fact]
    public void Parse_NonAsciiLetters_AreLowerCasedWholeIncludingSurrogatePairs()
    {
        // U+10400 DESERET CAPITAL LONG I lower-cases to U+10428, both outside the BMP (two UTF-16 units each).
        var query = FtsQuery.Parse("Straße ÉCOLE \U00010400x Ωmega");

        Assert.Equal(["straße", "école", "\U00010428x", "ωmega"], query.Terms);
    }

    [Fact]
    public void Parse_WordLongerThanSixtyFourCharacters_IsCutToSixtyFour()
    {
        var query = FtsQuery.Parse(new string('A', 100) + " tail");

        Assert.Equal([new string('a', 64), "tail"], query.Terms);
    }

    [Fact]
    public void Parse_MoreThanMaxTermsWords_KeepsTheFirstMaxTerms()
    {
        var text = string.Join(' ', Enumerable.Range(0, 100).Select(i => "w" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var query = FtsQuery.Parse(text);

        Assert.Equal(FtsQuery.MaxTerms, query.Terms.Count);
        Assert.Equal("w0", query.Terms[0]);
        Assert.Equal("w63", query.Terms[^1]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" -- \"*\" () ")]
    public void Parse_NoWords_HasNoExpression(string? text)
    {
        var query = FtsQuery.Parse(text);

        Assert.Empty(query.Terms);
        Assert.Null(query.Expression);
    }

    [Fact]
    public void Join_TermWithQuotes_DoublesThemInsideTheQuotedString()
    {
        Assert.Equal("\"a\"\"b\" OR \"c\"", FtsQuery.Join(["a\"b", "c"]));
        Assert.Equal(string.Empty, FtsQuery.Join([]));
    }
}
