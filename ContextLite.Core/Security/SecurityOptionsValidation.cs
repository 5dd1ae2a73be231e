using Microsoft.Extensions.Options;

namespace ContextLite.Security;

/// <summary>Fails start-up (node and gateway alike) on a malformed hash, an unknown role or a bad workspace id.</summary>
public sealed class SecurityOptionsValidation : IValidateOptions<SecurityOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
