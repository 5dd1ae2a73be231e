using ContextLite.Cluster;
using ContextLite.Node.Quotas;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ContextLite.Node.Tests.Quotas;

/// <summary>Builds a <see cref="QuotaService"/> outside a host, with one <c>default</c> limits entry.</summary>
internal static class QuotaServices
{
    public static QuotaService Create(ResourceLimits limits, QuotaOptions? options = null, TimeProvider? time = null)
    {
        var cluster = new ClusterOptions { NodeId = "quota-test" };
        cluster.ResourceLimits[ClusterOptions.DefaultEntry] = limits;
        return new QuotaService(Options.Create(options ?? new QuotaOptions()), Options.Create(cluster), time ?? TimeProvider.System, NullLogger<QuotaService>.Instance);
    }
}
