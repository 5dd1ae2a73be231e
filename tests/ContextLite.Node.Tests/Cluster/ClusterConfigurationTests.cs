using System.Collections;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ContextLite.Node.Cli;
using ContextLite.Node.Configuration;
using ContextLite.Node.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace ContextLite.Node.Tests.Cluster;

public sealed class ClusterConfigurationTests
{
    [Fact]
    public void FirstFreePort_SkipsTakenPortsInTheRange()
    {
        var taken = new HashSet<int> { 8080, 8081, 8082 };

        var port = NodeConfiguration.FirstFreePort("127.0.0.1", (_, p) => !taken.Contains(p));

        Assert.Equal(8083, port);
    }

    [Fact]
    public void FirstFreePort_AllTaken_IsNull()
    {
        Assert.Null(NodeConfiguration.FirstFreePort("127.0.0.1", (_, _) => false));
    }

    [Fact]
    public void Apply_AutoPortVariable_SetsServerPortToAFreePortIn8080To8090()
    {
        var configuration = new ConfigurationManager();

        var problems = NodeConfiguration.Apply(configuration, new NodeArguments(), new Hashtable { ["CONTEXTLITE_AUTO_PORT"] = "true" });

        // Whichever port is free on this machine; a refusal is a reported problem, never a silent default.
        if (problems.Count == 0)
        {
            var port = int.Parse(configuration["server:port"]!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(port, 8080, 8090);
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
        }
        else
        {
            Assert.Equal(["server.auto_port: no free port in 8080-8090 on 127.0.0.1."], problems);
        }
    }

    [Fact]
    public void Apply_AutoPortWithPortFlag_KeepsTheFlag()
    {
        var configuration = new ConfigurationManager();

        var problems = NodeConfiguration.Apply(configuration, new NodeArguments(Port: 9123), new Hashtable { ["CONTEXTLITE_AUTO_PORT"] = "true" });

        Assert.Empty(problems);
        Assert.Equal("9123", configuration["server:port"]);
    }

    [Fact]
    public void Validate_AffinityRuleNamingANodeNotInClusterNodes_IsReported()
    {
        using var data = new TempDirectory();
        using var output = new StringWriter();
        var environment = new Hashtable
        {
            ["CONTEXTLITE_cluster__nodes__0"] = "alpha",
            ["CONTEXTLITE_cluster__nodes__1"] = "beta",
            ["CONTEXTLITE_cluster__node_id"] = "alpha",
            ["CONTEXTLITE_cluster__affinity__rules__docs__preferred_nodes__0"] = "gamma",
        };

        var code = ConfigurationReport.Write(new NodeArguments(DataDirectory: data.Path), output, environment);

        Assert.Equal(1, code);
        var report = JsonNode.Parse(output.ToString())!;
        Assert.Contains(report["problems"]!.AsArray(), p => ((string?)p)!.StartsWith("cluster.affinity.rules.docs.preferred_nodes: gamma is not a node", StringComparison.Ordinal));
        Assert.Equal(["alpha", "beta"], report["cluster"]!["nodes"]!.AsArray().Select(n => (string)n!).ToArray());
    }
}
