using System.Collections;
using System.Globalization;

namespace ContextLite.Node.Configuration;

/// <summary>
/// Layers the node's configuration sources so that every way of configuring binds to the same options.
/// Later layers win: <c>appsettings.json</c>, then <c>--config</c> YAML, then <c>CONTEXTLITE_</c>-prefixed
/// variables (<c>CONTEXTLITE_storage__data_dir</c>), then the seed's short variables (<c>CONTEXTLITE_PORT</c>,
/// <c>CONTEXTLITE_HOST</c>, <c>CONTEXTLITE_NODE_ID</c>, <c>CONTEXTLITE_DB_PATH</c>, <c>CONTEXTLITE_LOG_LEVEL</c>,
/// <c>CONTEXTLITE_CLUSTER_ENABLED</c>, <c>CONTEXTLITE_DISCOVERY_METHOD</c>, <c>CONTEXTLITE_AUTO_PORT</c>), then
/// command-line flags. With <c>server.auto_port</c> and no <c>--port</c>, the first free port in 8080-8090
/// becomes <c>server.port</c>.
/// </summary>
internal static class NodeConfiguration
{
    public const string EnvironmentPrefix = "CONTEXTLITE_";

    /// <summary>The range <c>server.auto_port</c> searches, first free port wins.</summary>
    public const int AutoPortFirst = 8080;

    public const int AutoPortLast = 8090;

    private static readonly Dictionary<string, string> s_shortVariables = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CONTEXTLITE_PORT"] = "server:port",
        ["CONTEXTLITE_HOST"] = "server:host",
        ["CONTEXTLITE_NODE_ID"] = "cluster:node_id",
        ["CONTEXTLITE_DB_PATH"] = "storage:data_dir",
        ["CONTEXTLITE_LOG_LEVEL"] = "Logging:LogLevel:Default",
        ["CONTEXTLITE_CLUSTER_ENABLED"] = "cluster:enabled",
        ["CONTEXTLITE_DISCOVERY_METHOD"] = "cluster:discovery:method",
        ["CONTEXTLITE_AUTO_PORT"] = "server:auto_port",
    };

    private static readonly Dictionary<string, string> s_logLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["trace"] = "Trace",
        ["debug"] = "Debug",
        ["info"] = "Information",
        ["information"] = "Information",
        ["warn"] = "Warning",
        ["warning"] = "Warning",
        ["error"] = "Error",
        ["critical"] = "Critical",
        ["none"] = "None",
    };

    /// <summary>Adds the ContextLite layers on top of what <paramref name="configuration"/> already holds.</summary>
    /// <param name="configuration">The builder's configuration (already holding appsettings.json).</param>
    /// <param name="arguments">The command-line values.</param>
    /// <param name="environment">The environment variables; null reads the process environment.</param>
    /// <returns>Problems found while layering (an unreadable file, an unknown log level).</returns>
    public static IReadOnlyList<string> Apply(IConfigurationBuilder configuration, NodeArguments arguments, IDictionary? environment = null)
    {
        var problems = new List<string>();
        if (arguments.ConfigFile is not null)
        {
            var path = Path.GetFullPath(arguments.ConfigFile);
            if (File.Exists(path))
            {
                configuration.AddYamlFile(path, optional: false, reloadOnChange: false);
            }
            else
            {
                problems.Add($"--config: file '{arguments.ConfigFile}' does not exist.");
            }
        }

        environment ??= Environment.GetEnvironmentVariables();
        var prefixed = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var mapped = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in environment)
        {
            var name = (string)entry.Key;
            var value = entry.Value as string;
            if (!name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (s_shortVariables.TryGetValue(name, out var key))
            {
                mapped[key] = key.StartsWith("Logging", StringComparison.Ordinal) ? LogLevel(value, name, problems) : value;
            }
            else if (name.Contains("__", StringComparison.Ordinal))
            {
                prefixed[name[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal)] = value;
            }
        }

        configuration.AddInMemoryCollection(prefixed);
        configuration.AddInMemoryCollection(mapped);

        var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (arguments.Port is { } port)
        {
            flags["server:port"] = port.ToString(CultureInfo.InvariantCulture);
        }

        if (arguments.Host is not null)
        {
            flags["server:host"] = arguments.Host;
        }

        if (arguments.NodeId is not null)
        {
            flags["cluster:node_id"] = arguments.NodeId;
        }

        if (arguments.DataDirectory is not null)
        {
            flags["storage:data_dir"] = arguments.DataDirectory;
        }

        if (arguments.LogLevel is not null)
        {
            flags["Logging:LogLevel:Default"] = LogLevel(arguments.LogLevel, "--log-level", problems);
        }

        configuration.AddInMemoryCollection(flags);
        if (arguments.Port is null)
        {
            ApplyAutoPort(configuration, problems);
        }

        return problems;
    }

    /// <summary>The first port in <see cref="AutoPortFirst"/>-<see cref="AutoPortLast"/> that <paramref name="isFree"/> accepts, or null.</summary>
    public static int? FirstFreePort(string host, Func<string, int, bool> isFree)
    {
        for (var port = AutoPortFirst; port <= AutoPortLast; port++)
        {
            if (isFree(host, port))
            {
                return port;
            }
        }

        return null;
    }

    // Probing binds and releases each port: another process may take the port before Kestrel binds it, in
    // which case start-up fails with "address in use" as it would with a fixed port.
    private static void ApplyAutoPort(IConfigurationBuilder builder, List<string> problems)
    {
        var configuration = builder as IConfiguration ?? builder.Build();
        if (!bool.TryParse(configuration["server:auto_port"], out var auto) || !auto)
        {
            return;
        }

        var host = configuration["server:host"] is { Length: > 0 } h ? h : "127.0.0.1";
        if (FirstFreePort(host, IsFree) is { } port)
        {
            builder.AddInMemoryCollection(new Dictionary<string, string?> { ["server:port"] = port.ToString(CultureInfo.InvariantCulture) });
        }
        else
        {
            problems.Add($"server.auto_port: no free port in {AutoPortFirst}-{AutoPortLast} on {host}.");
        }
    }

    private static bool IsFree(string host, int port)
    {
        try
        {
            var address = host is "0.0.0.0" or "*" or "+" ? System.Net.IPAddress.Any
                : System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed
                : System.Net.IPAddress.Loopback;
            using var listener = new System.Net.Sockets.TcpListener(address, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static string? LogLevel(string? value, string source, List<string> problems)
    {
        if (value is null)
        {
            return null;
        }

        if (s_logLevels.TryGetValue(value.Trim(), out var level))
        {
            return level;
        }

        problems.Add($"{source}: log level '{value}' is unknown; use trace, debug, info, warn, error, critical or none.");
        return null;
    }
}
