namespace ContextLite.Text;

/// <summary>A piece of a document: its text, 1-based inclusive line range, and token count.</summary>
public sealed record Chunk(int Ordinal, int StartLine, int EndLine, string Text, int Tokens);
