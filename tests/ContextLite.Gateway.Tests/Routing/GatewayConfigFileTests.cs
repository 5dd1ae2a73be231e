using System.Text.Json.Nodes;
using ContextLite.Gateway.Tests.Infrastructure;

namespace ContextLite.Gateway.Tests.Routing;

/// <summary>The gateway reads the seed's cluster.yaml given with --config, like the nodes.</summary>
public sealed class GatewayConfigFileTests
{
    [Fact]
    public async Task Config_YamlWithStaticEndpointsAndAffinity_RoutesByIt()
    {
        var nodes = new List<TestNode>();
        var yaml = Path.Combine(Path.GetTempPath(), $"gateway-{Guid.NewGuid():N}.yaml");
        try
        {
            for (var i = 1; i <= 2; i++)
            {
                nodes.Add(await TestNode.StartAsync($"node-{i}"));
            }

            // A workspace the ring gives to node-1, so that only the rule can send it to node-2.
            var ring = new ContextLite.Cluster.HashRing(["node-1", "node-2"]);
            var workspace = Enumerable.Range(0, 100).Select(i => $"pin-{i}").First(w => ring.Owner(w) == "node-1");
            await File.WriteAllTextAsync(yaml, $$"""
                cluster:
                  discovery:
                    method: "static"
                    endpoints: ["{{nodes[0].Endpoint}}", "{{nodes[1].Endpoint}}"]
                  affinity:
                    rules:
                      "{{workspace}}":
                        preferred_nodes: ["node-2"]
                """);
            await using var gateway = await TestGateway.StartAsync([], new Dictionary<string, string?> { ["config"] = yaml });

            var health = JsonNode.Parse(await gateway.Client.GetStringAsync(new Uri("/health", UriKind.Relative)))!;
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/documents");
            request.Headers.Add("X-Workspace-ID", workspace);
            using var response = await gateway.Client.SendAsync(request);

            Assert.Equal(2, (int)health["cluster_size"]!);
            Assert.Equal("node-2", response.Headers.GetValues(TestCluster.NodeHeader).Single());
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            File.Delete(yaml);
        }
    }
}
