using System.CommandLine;
using ContextLite.Security;

namespace ContextLite.Node.Cli;

/// <summary><c>hash-key &lt;key&gt;</c>: prints the SHA-256 to put in <c>security.api_keys[].hash</c>.</summary>
internal static class HashKeyCommand
{
    public static Command Create(TextWriter output)
    {
        var key = new Argument<string>("key") { Description = "The API key to hash (the key goes to clients; only its hash goes in the configuration)." };
        var command = new Command("hash-key", "Print the SHA-256 of an API key for security.api_keys[].hash.") { key };
        command.SetAction(result =>
        {
            output.WriteLine(ApiKeyHash.Compute(result.GetValue(key)!));
            return 0;
        });
        return command;
    }
}
