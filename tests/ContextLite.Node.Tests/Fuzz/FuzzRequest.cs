namespace ContextLite.Node.Tests.Fuzz;

/// <summary>One generated HTTP request: what is sent, and a label that reproduces it in a failure message.</summary>
public sealed record FuzzRequest(HttpMethod Method, string Path, string? WorkspaceHeader, byte[]? Body, string ContentType)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Path);
        if (WorkspaceHeader is not null)
        {
            // HTTP/1.1 cannot carry control characters in a header at all; everything else is sent as UTF-8 bytes.
            message.Headers.TryAddWithoutValidation("X-Workspace-ID", new string([.. WorkspaceHeader.Where(c => c >= 0x20 && c != 0x7f)]));
        }

        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }

        return message;
    }

    public override string ToString()
    {
        var body = Body is null ? "<none>" : System.Text.Encoding.UTF8.GetString(Body);
        if (body.Length > 400)
        {
            body = body[..400] + $"… ({Body!.Length} bytes)";
        }

        return $"{Method} {Path} header={WorkspaceHeader ?? "<none>"} type={ContentType} body={body}";
    }
}
