using System.Collections;
using System.Text.Json.Nodes;
using ContextLite.Cluster;
using ContextLite.Node.Cli;
using ContextLite.Node.Configuration;
using ContextLite.Node.Tests.Infrastructure;
using ContextLite.Storage;
using Microsoft.Extensions.Configuration;

namespace ContextLite.Node.Tests.Configuration;

public sealed class NodeConfigurationTests
{
    private static readonly string s_shippedYaml = Path.Combine(AppContext.BaseDirectory, "configs", "cluster.yaml");

    [Fact]
    public void Apply_ShippedClusterYaml_BindsTheSeedSchema()
    {
        var configuration = Build(new NodeArguments(ConfigFile: s_shippedYaml), new Hashtable());

        var cluster = new ClusterOptions();
        NodeOptionsBinder.BindCluster(configuration, cluster);

        Assert.True(cluster.Enabled);
        Assert.Equal("contextlite-node-1", cluster.NodeId);
        Assert.Equal(["localhost:8080", "localhost:8081", "localhost:8082"], cluster.Discovery.Endpoints);
        Assert.Equal("high", cluster.Affinity.Rules["mission-architect"].ResourceTier);
        Assert.Equal(["contextlite-node-1"], cluster.Affinity.Rules["archive"].AvoidNodes);
        Assert.Equal(0.85, cluster.LoadBalancing.MaxLoadFactor, 3);
        Assert.Equal(50000, cluster.LimitsFor("mission-architect").MaxTokensPerMinute);
        Assert.Equal(8, cluster.LimitsFor("mission-architect").Priority);
        Assert.Equal(100000, cluster.LimitsFor("some-other-workspace").MaxTokensPerMinute);
        Assert.Empty(ClusterOptionsValidator.Validate(cluster));
    }

    [Fact]
    public void Apply_SeedEnvironmentVariables_MapToTheSameOptions()
    {
        var environment = new Hashtable
        {
            ["CONTEXTLITE_PORT"] = "9191",
            ["CONTEXTLITE_HOST"] = "0.0.0.0",
            ["CONTEXTLITE_NODE_ID"] = "env-node",
            ["CONTEXTLITE_DB_PATH"] = "/var/lib/contextlite",
            ["CONTEXTLITE_LOG_LEVEL"] = "debug",
            ["CONTEXTLITE_CLUSTER_ENABLED"] = "true",
            ["CONTEXTLITE_storage__max_document_bytes"] = "12345",
            ["UNRELATED"] = "ignored",
        };

        var configuration = Build(new NodeArguments(), environment);

        Assert.Equal(9191, configuration.GetSection("server").Get<ServerOptions>()!.Port);
        Assert.Equal("0.0.0.0", configuration.GetSection("server").Get<ServerOptions>()!.Host);
        Assert.Equal("/var/lib/contextlite", configuration.GetSection("storage").Get<StorageOptions>()!.DataDirectory);
        Assert.Equal(12345, configuration.GetSection("storage").Get<StorageOptions>()!.MaxDocumentBytes);
        Assert.Equal("Debug", configuration["Logging:LogLevel:Default"]);
        var cluster = new ClusterOptions();
        NodeOptionsBinder.BindCluster(configuration, cluster);
        Assert.Equal("env-node", cluster.NodeId);
        Assert.True(cluster.Enabled);
    }

    [Fact]
    public void Apply_Precedence_IsFlagsThenEnvironmentThenYaml()
    {
        var environment = new Hashtable { ["CONTEXTLITE_NODE_ID"] = "from-env", ["CONTEXTLITE_PORT"] = "7001" };

        var configuration = Build(new NodeArguments(ConfigFile: s_shippedYaml, Port: 7002), environment);

        var cluster = new ClusterOptions();
        NodeOptionsBinder.BindCluster(configuration, cluster);
        Assert.Equal("from-env", cluster.NodeId);
        Assert.Equal(7002, configuration.GetSection("server").Get<ServerOptions>()!.Port);
    }

    [Fact]
    public void Apply_MissingConfigFileAndUnknownLogLevel_AreReportedProblems()
    {
        var configuration = new ConfigurationManager();

        var problems = NodeConfiguration.Apply(configuration, new NodeArguments(ConfigFile: "does/not/exist.yaml", LogLevel: "loud"), new Hashtable());

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("loud", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ShippedConfiguration_PrintsEffectiveConfigAndExitsZero()
    {
        using var data = new TempDirectory();
        using var output = new StringWriter();

        var code = ConfigurationReport.Write(new NodeArguments(ConfigFile: s_shippedYaml, DataDirectory: data.Path), output, new Hashtable());

        Assert.Equal(0, code);
        var report = JsonNode.Parse(output.ToString())!;
        Assert.True((bool)report["valid"]!);
        Assert.Equal("contextlite-node-1", (string?)report["cluster"]!["node_id"]);
        Assert.Equal(data.Path, (string?)report["storage"]!["data_dir"]);
        Assert.Empty(report["problems"]!.AsArray());
    }

    [Fact]
    public void Validate_BadValues_ListsEveryProblemAndExitsOne()
    {
        using var data = new TempDirectory();
        var yaml = Path.Combine(data.Path, "bad.yaml");
        File.WriteAllText(yaml, """
            server:
              port: 70000
            chunking:
              max_tokens: 3
            cluster:
              node_id: "../evil"
              load_balancing:
                strategy: "random"
                max_load_factor: 1.5
              discovery:
                endpoints: ["no-port-here"]
              resource_limits:
                "Bad Workspace":
                  priority: 11
                "ok":
                  max_concurrent_requests: 0
              affinity:
                rules:
                  "w":
                    preferred_nodes: ["n1"]
                    avoid_nodes: ["n1"]
            """);
        using var output = new StringWriter();

        var code = ConfigurationReport.Write(new NodeArguments(ConfigFile: yaml, DataDirectory: data.Path), output, new Hashtable());

        Assert.Equal(1, code);
        var problems = JsonNode.Parse(output.ToString())!["problems"]!.AsArray().Select(p => (string)p!).ToList();
        string[] expected =
        [
            "server", "max_tokens", "cluster.node_id", "strategy 'random'", "max_load_factor", "no-port-here",
            "'Bad Workspace'", "priority is 11", "max_concurrent_requests is 0", "both preferred and avoided",
        ];
        foreach (var fragment in expected)
        {
            Assert.True(problems.Any(p => p.Contains(fragment, StringComparison.Ordinal)), $"no problem mentions '{fragment}': {string.Join(" | ", problems)}");
        }
    }

    [Fact]
    public void Validate_QueryPathSettings_AreCheckedAndTheApiKeyIsNotPrinted()
    {
        using var data = new TempDirectory();
        using var output = new StringWriter();
        var environment = new Hashtable
        {
            ["CONTEXTLITE_embeddings__provider"] = "openai",
            ["CONTEXTLITE_embeddings__api_key"] = "sk-secret-value",
            ["CONTEXTLITE_search__fusion"] = "average",
            ["CONTEXTLITE_selection__solver"] = "oracle",
        };

        var code = ConfigurationReport.Write(new NodeArguments(DataDirectory: data.Path), output, environment);

        Assert.Equal(1, code);
        var text = output.ToString();
        Assert.DoesNotContain("sk-secret-value", text, StringComparison.Ordinal);
        Assert.Contains("embeddings.model is required", text, StringComparison.Ordinal);
        Assert.Contains("search.fusion 'average'", text, StringComparison.Ordinal);
        Assert.Contains("selection.solver 'oracle'", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ThroughTheCommandLine_ExitsNonZeroOnAProblem()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await NodeCommandLine.InvokeAsync(["--validate", "--node-id", "Not Valid!", "--data-dir", Path.GetTempPath()], output, error);

        Assert.Equal(1, code);
        Assert.Contains("cluster.node_id", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithInvalidConfiguration_ExitsOneInsteadOfServing()
    {
        using var data = new TempDirectory();
        using var output = new StringWriter();

        var code = await NodeCommandLine.InvokeAsync(["--node-id", "bad id", "--port", "0", "--data-dir", data.Path], output, output);

        Assert.Equal(1, code);
    }

    private static ConfigurationManager Build(NodeArguments arguments, IDictionary environment)
    {
        var configuration = new ConfigurationManager();
        var problems = NodeConfiguration.Apply(configuration, arguments, environment);
        Assert.Empty(problems);
        return configuration;
    }
}
