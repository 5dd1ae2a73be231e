using ContextLite.Cluster;
using Microsoft.Extensions.Options;

namespace ContextLite.Gateway.Configuration;

/// <summary>Runs the shared <see cref="ClusterOptionsValidator"/> at start-up so a bad cluster.yaml fails loudly.</summary>
internal sealed class ClusterOptionsValidation : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var problems = ClusterOptionsValidator.Validate(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
