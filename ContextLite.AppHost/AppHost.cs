// One node for now; the three-node cluster with Redis, the consistent-hash gateway and the indexer comes
// with the cluster issue. Each node gets its own data directory and id, never WithReplicas (shards own data).
var builder = DistributedApplication.CreateBuilder(args);

var dataRoot = Path.Combine(builder.AppHostDirectory, ".data");
string node1Data = Path.Combine(dataRoot, "node-1");

builder.AddProject<Projects.ContextLite_Node>("node-1", o => o.ExcludeLaunchProfile = true)
    .WithHttpEndpoint(env: "CONTEXTLITE_PORT")
    .WithEnvironment("CONTEXTLITE_NODE_ID", "node-1")
    .WithEnvironment("CONTEXTLITE_DB_PATH", node1Data)
    .WithEnvironment("CONTEXTLITE_HOST", "127.0.0.1")
    .WithHttpHealthCheck("/alive");

builder.Build().Run();
