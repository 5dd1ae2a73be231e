using System.Net;
using System.Text;
using ContextLite.Node.Tests.Infrastructure;
using ContextLite.Security;
using Microsoft.Extensions.Logging;

namespace ContextLite.Node.Tests.Security;

/// <summary>Keys never reach the logs; an open node says so once.</summary>
public sealed class ApiKeyLoggingTests
{
    [Fact]
    public async Task Requests_WithGoodAndBadKeys_NeverLogTheKeyOrItsHash()
    {
        // Arrange: everything the node logs, at the most verbose level.
        var logs = new LogCapture();
        var settings = ApiKeys.Settings(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" });
        await using (var node = await NodeHost.StartAsync(settings, configure: b => b.Logging.AddProvider(logs)))
        {
            // Act
            foreach (var key in new[] { ApiKeys.WriteAlpha, ApiKeys.ReadAlpha, ApiKeys.Wrong })
            {
                foreach (var workspace in new[] { "alpha", "beta" })
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, $"/workspace/{workspace}/api/v1/documents")
                    {
                        Content = new StringContent("""{"path": "a.md", "content": "x"}""", Encoding.UTF8, "application/json"),
                    }.With(key);
                    using var response = await node.Client.SendAsync(request);
                }

                using var apiKeyHeader = new HttpRequestMessage(HttpMethod.Get, "/api/v1/workspaces");
                apiKeyHeader.Headers.Add("X-API-Key", key);
                using var listed = await node.Client.SendAsync(apiKeyHeader);
            }
        }

        // Assert
        var entries = logs.Entries;
        Assert.Contains(entries, e => e.Text.Contains("Refused", StringComparison.Ordinal));
        foreach (var secret in new[] { ApiKeys.WriteAlpha, ApiKeys.ReadAlpha, ApiKeys.Wrong, ApiKeys.Admin })
        {
            Assert.DoesNotContain(entries, e => e.Text.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(entries, e => e.Text.Contains(ApiKeyHash.Compute(secret), StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task Start_WithoutKeys_WarnsOnceThatTheNodeIsOpenAndStillServes()
    {
        var logs = new LogCapture();
        await using var node = await NodeHost.StartAsync(configure: b => b.Logging.AddProvider(logs));

        using var response = await node.PostJsonAsync("/api/v1/documents", """{"path": "a.md", "content": "x"}""", "alpha");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains("No API keys", StringComparison.Ordinal));
        Assert.Contains("open", warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithKeys_DoesNotWarnAboutOpenAccess()
    {
        var logs = new LogCapture();
        await using var node = await NodeHost.StartAsync(ApiKeys.Settings(), configure: b => b.Logging.AddProvider(logs));

        Assert.DoesNotContain(logs.Entries, e => e.Text.Contains("No API keys", StringComparison.Ordinal));
    }
}
