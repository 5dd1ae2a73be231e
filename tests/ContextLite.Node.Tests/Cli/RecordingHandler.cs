using System.Text.Json.Nodes;

namespace ContextLite.Node.Tests.Cli;

/// <summary>Passes requests on to a real socket handler and records how many documents each bulk request carried.</summary>
internal sealed class RecordingHandler : DelegatingHandler
{
    public RecordingHandler()
        : base(new SocketsHttpHandler())
    {
    }

    public List<int> BatchSizes { get; } = [];

    public List<int> StatusCodes { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        BatchSizes.Add(JsonNode.Parse(body)!.AsArray().Count);
        var response = await base.SendAsync(request, cancellationToken);
        StatusCodes.Add((int)response.StatusCode);
        return response;
    }
}
