// The ContextLite cluster: Redis (container, embedded Garnet, or external), three node shards, the
// consistent-hash gateway on port 8000 (Gateway:Port, 0 = any), and the indexer. Every dependency edge says WithReference and WaitFor.
using ContextLite.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var redis = builder.AddContextLiteRedis();
// The key the nodes' /internal endpoints require, generated at start and shared only with the nodes and the indexer.
var clusterKey = builder.AddClusterKey();
var nodes = Enumerable.Range(1, 3).Select(i => builder.AddContextLiteNode($"node-{i}", redis, clusterKey)).ToList();
// Every workspace on Cluster:ReplicationFactor nodes (default 2): each node pulls from the others' endpoints.
var replicationFactor = builder.ReplicationFactor(nodes.Count);
builder.ConnectReplicas(nodes, replicationFactor);

var gateway = builder.AddProject<Projects.ContextLite_Gateway>("gateway", o => o.ExcludeLaunchProfile = true)
    .WithHttpEndpoint(port: builder.GatewayPort(), name: "http")
    .WithHttpHealthCheck("/alive")
    .WithSettingsFrom(builder.Configuration, "GatewaySettings", prefix: "");
for (var i = 0; i < nodes.Count; i++)
{
    // The gateway resolves each node through service discovery by name.
    string name = nodes[i].Resource.Name;
    gateway.WithEnvironment($"gateway__nodes__{i}", name).WithReference(nodes[i]).WaitFor(nodes[i]);
}

gateway.WithEnvironment("gateway__replication_factor", replicationFactor.ToString(System.Globalization.CultureInfo.InvariantCulture));

redis.Apply(gateway);

// The indexer rebuilds the nodes' IVF clusters (they run with clustering:build_on_node=false here). It reaches
// each node at http://{node id} through service discovery; IndexerSettings:* passes settings through.
var indexer = builder.AddProject<Projects.ContextLite_Indexer>("indexer", o => o.ExcludeLaunchProfile = true)
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/alive")
    .WithEnvironment("indexer__cluster_key", clusterKey)
    .WithSettingsFrom(builder.Configuration, "IndexerSettings", prefix: "");
redis.Apply(indexer);
foreach (var node in nodes)
{
    indexer.WithReference(node).WaitFor(node);
}

builder.Build().Run();
