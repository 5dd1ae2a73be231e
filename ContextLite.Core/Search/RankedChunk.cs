using ContextLite.Storage;

namespace ContextLite.Search;

/// <summary>A retrieved chunk with the evidence behind its rank.</summary>
/// <param name="Chunk">The chunk (text included when asked).</param>
/// <param name="Score">The fused score (higher is better).</param>
/// <param name="LexicalScore">BM25, when the lexical stage found it.</param>
/// <param name="LexicalRank">1-based rank in the lexical list.</param>
/// <param name="SemanticScore">Cosine similarity to the query, when it has a vector.</param>
/// <param name="SemanticRank">1-based rank in the vector list.</param>
/// <param name="Cluster">Its IVF cluster, or −1.</param>
public sealed record RankedChunk(
    ChunkView Chunk,
    double Score,
    float? LexicalScore,
    int? LexicalRank,
    float? SemanticScore,
    int? SemanticRank,
    int Cluster);
