using System.Collections;
using System.Net;
using System.Text.Json.Nodes;
using ContextLite.Node.Cli;
using ContextLite.Node.Configuration;
using ContextLite.Node.Tests.Infrastructure;
using ContextLite.Security;
using Microsoft.Extensions.Options;

namespace ContextLite.Node.Tests.Security;

/// <summary>Keys configured from YAML and environment variables, checked at start-up and by <c>--validate</c>.</summary>
public sealed class ApiKeyConfigurationTests
{
    [Fact]
    public async Task HashKey_PrintsTheSha256OfTheKey()
    {
        using var output = new StringWriter();

        var code = await NodeCommandLine.InvokeAsync(["hash-key", "s3cret"], output, new StringWriter());

        Assert.Equal(0, code);
        // As `printf s3cret | sha256sum` prints it.
        Assert.Equal("1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0", output.ToString().Trim());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("s3cret"u8)), output.ToString().Trim());
    }

    [Fact]
    public void Validate_BadHashUnknownRoleAndBadWorkspace_AreProblemsAndNoHashIsPrinted()
    {
        using var data = new TempDirectory();
        var yaml = Path.Combine(data.Path, "keys.yaml");
        var good = ApiKeyHash.Compute("good-key");
        File.WriteAllText(yaml, $"""
            security:
              api_keys:
                - name: ci
                  hash: "not-hex"
                  role: read
                  workspaces: ["alpha"]
                - name: ops
                  hash: "{good}"
                  role: superuser
                  workspaces: ["../etc"]
            """);
        using var output = new StringWriter();

        var code = ConfigurationReport.Write(new NodeArguments(ConfigFile: yaml, DataDirectory: data.Path), output, new Hashtable());

        Assert.Equal(1, code);
        var report = JsonNode.Parse(output.ToString())!;
        var problems = string.Join(" | ", report["problems"]!.AsArray().Select(p => (string)p!));
        Assert.Contains("security.api_keys[0] (ci).hash must be the SHA-256", problems, StringComparison.Ordinal);
        Assert.Contains("security.api_keys[1] (ops).role 'superuser' is unknown", problems, StringComparison.Ordinal);
        Assert.Contains("'../etc' is not a workspace id", problems, StringComparison.Ordinal);
        Assert.Equal("ops", (string?)report["security"]!["api_keys"]![1]!["name"]);
        Assert.DoesNotContain(good, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithAnUnknownRole_FailsWithTheProblem()
    {
        var settings = ApiKeys.Settings(new Dictionary<string, string?> { ["security:api_keys:0:role"] = "root" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => NodeHost.StartAsync(settings));

        Assert.Contains(error.Failures, f => f.Contains("role 'root' is unknown", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Process_KeysFromEnvironmentVariables_AreEnforced()
    {
        using var data = new TempDirectory();
        await using var node = await NodeProcess.StartAsync(data.Path, environment: new Dictionary<string, string>
        {
            ["CONTEXTLITE_security__api_keys__0__name"] = "env-key",
            ["CONTEXTLITE_security__api_keys__0__hash"] = ApiKeyHash.Compute(ApiKeys.Admin),
            ["CONTEXTLITE_security__api_keys__0__role"] = "admin",
            ["CONTEXTLITE_security__api_keys__0__workspaces__0"] = "*",
        });

        using var without = await node.Client.GetAsync("/api/v1/workspaces");
        using var with = await node.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/workspaces").With(ApiKeys.Admin));

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }
}
