using System.Text;
using BenchmarkDotNet.Attributes;
using ContextLite.Benchmarks.Corpus;
using ContextLite.Text;
using Microsoft.ML.Tokenizers;

namespace ContextLite.Benchmarks.Kernels;

/// <summary>
/// Counting one pre-tokenization piece of several tokens that was not seen before (the ingest corpus's made-up
/// identifiers and words, 9 bytes on average): our byte-pair merge over the rank table against
/// <c>Microsoft.ML.Tokenizers</c>' <c>CountTokens</c>, and a whole document through the chunker.
/// </summary>
/// <remarks>
/// Each operation walks 20,000 distinct pieces, more than the tokenizer's 8,192-entry cache holds, so neither
/// side answers from a cache; the time is per piece.
/// </remarks>
[MemoryDiagnoser]
public class TokenCountKernels
{
    private const int Pieces = 20_000;

    private readonly TiktokenTokenizer _tokenizer = TiktokenTokenizer.CreateForEncoding(TiktokenCounter.Cl100kBase);
    private readonly Chunker _chunker = new(TiktokenCounter.Cl100k, new ChunkingOptions().MaxTokens);
    private BytePairRanks _ranks = null!;
    private string[] _pieces = [];
    private byte[][] _bytes = [];
    private string _document = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _ranks = TiktokenCounter.Cl100k.Ranks ?? throw new InvalidOperationException("cl100k_base ranks did not load.");
        var documents = SyntheticCorpus.Generate(600, KernelData.Seed);
        var preTokenizer = _tokenizer.PreTokenizer!;
        _pieces = documents
            .SelectMany(d => preTokenizer.PreTokenize(d.Content).Select(p => d.Content.Substring(p.Offset, p.Length)).ToArray())
            .Distinct(StringComparer.Ordinal)
            .Where(p => _tokenizer.CountTokens(p, considerPreTokenization: false, considerNormalization: false) > 1)
            .Take(Pieces)
            .ToArray();
        if (_pieces.Length < Pieces)
        {
            throw new InvalidOperationException($"The corpus gave {_pieces.Length} distinct pieces of several tokens; {Pieces} are needed.");
        }

        _bytes = _pieces.Select(Encoding.UTF8.GetBytes).ToArray();
        _document = documents.MaxBy(d => d.Content.Length)!.Content;
    }

    [Benchmark(Description = "Count a new piece of several tokens (our merge)", OperationsPerInvoke = Pieces)]
    public int OurMerge()
    {
        var total = 0;
        foreach (var piece in _bytes)
        {
            total += _ranks.Count(piece);
        }

        return total;
    }

    [Benchmark(Description = "Count a new piece of several tokens (Microsoft.ML.Tokenizers)", OperationsPerInvoke = Pieces)]
    public int TokenizerMerge()
    {
        var total = 0;
        foreach (var piece in _pieces)
        {
            total += _tokenizer.CountTokens(piece, considerPreTokenization: false, considerNormalization: false);
        }

        return total;
    }

    [Benchmark(Description = "Chunk and count a 20 KB document")]
    public int Chunk() => _chunker.SplitAndCount(_document).Tokens;
}
