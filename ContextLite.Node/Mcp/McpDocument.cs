using System.ComponentModel;

namespace ContextLite.Node.Mcp;

/// <summary>A document given to the <c>add_documents</c> tool.</summary>
internal sealed record McpDocument(
    [property: Description("Where the document lives, e.g. 'src/app.ts'; a document is updated when the same path comes again.")] string Path,
    [property: Description("The full text.")] string Content,
    [property: Description("An id; derived from the path when left out.")] string? Id = null);
