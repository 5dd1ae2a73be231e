using ContextLite.Cluster;
using Microsoft.Extensions.Options;

namespace ContextLite.Node.Configuration;

/// <summary>Fails start-up with every problem of the cluster section.</summary>
internal sealed class ClusterOptionsValidation : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var problems = ClusterOptionsValidator.Validate(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
