using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContextLite.Cluster;
using ContextLite.Clustering;
using ContextLite.Embeddings;
using ContextLite.Search;
using ContextLite.Security;
using ContextLite.Selection;
using ContextLite.Node.Configuration;
using ContextLite.Storage;
using ContextLite.Text;

namespace ContextLite.Node.Cli;

/// <summary><c>--validate</c>: the effective configuration after every layer, and every problem in it.</summary>
internal static class ConfigurationReport
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // printed for people, not embedded in HTML
    };

    /// <summary>Writes the report; returns the process exit code (0 valid, 1 a problem).</summary>
    public static int Write(NodeArguments arguments, TextWriter output, System.Collections.IDictionary? environment = null)
    {
        var configuration = new ConfigurationManager();
        configuration.SetBasePath(AppContext.BaseDirectory);
        configuration.AddJsonFile("appsettings.json", optional: true);
        var problems = new List<string>();
        try
        {
            problems.AddRange(NodeConfiguration.Apply(configuration, arguments, environment));
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException)
        {
            problems.Add($"--config: {ex.Message}");
        }

        var server = Bind<ServerOptions>(configuration, ServerOptions.Section, problems);
        var storage = Bind<StorageOptions>(configuration, StorageOptions.Section, problems);
        var chunking = Bind<ChunkingOptions>(configuration, ChunkingOptions.Section, problems);
        var workspaces = Bind<WorkspaceOptions>(configuration, WorkspaceOptions.Section, problems);
        var search = Bind<SearchOptions>(configuration, SearchOptions.Section, problems);
        var clustering = Bind<ClusteringOptions>(configuration, ClusteringOptions.Section, problems);
        var selection = Bind<SelectionOptions>(configuration, SelectionOptions.Section, problems);
        var embeddings = Bind<EmbeddingOptions>(configuration, EmbeddingOptions.Section, problems);
        problems.AddRange(QueryPathOptionsValidation.Problems(search));
        problems.AddRange(QueryPathOptionsValidation.Problems(selection));
        problems.AddRange(QueryPathOptionsValidation.Problems(embeddings));
        var cluster = new ClusterOptions();
        List<string>? nodes = null;
        try
        {
            NodeOptionsBinder.BindCluster(configuration, cluster);
            // cluster.nodes (optional) names every node of the cluster; affinity rules may name only those.
            nodes = configuration.GetSection("cluster:nodes").Get<List<string>>();
            problems.AddRange(ClusterOptionsValidator.Validate(cluster, nodes is { Count: > 0 } ? nodes : null));
        }
        catch (InvalidOperationException ex)
        {
            problems.Add("cluster: " + ex.Message);
        }

        var security = new SecurityOptions();
        try
        {
            configuration.GetSection(SecurityOptions.Section).Bind(security);
            problems.AddRange(security.Validate());
        }
        catch (InvalidOperationException ex)
        {
            problems.Add($"{SecurityOptions.Section}: {ex.InnerException?.Message ?? ex.Message}");
        }

        CheckDataDirectory(storage, problems);
        CheckUserAgentMap(workspaces, problems);

        var report = new JsonObject
        {
            ["valid"] = problems.Count == 0,
            ["server"] = JsonSerializer.SerializeToNode(server, s_json),
            ["storage"] = JsonSerializer.SerializeToNode(storage, s_json),
            ["chunking"] = JsonSerializer.SerializeToNode(chunking, s_json),
            ["workspaces"] = JsonSerializer.SerializeToNode(workspaces, s_json),
            ["search"] = JsonSerializer.SerializeToNode(search, s_json),
            ["clustering"] = JsonSerializer.SerializeToNode(clustering, s_json),
            ["selection"] = JsonSerializer.SerializeToNode(selection, s_json),
            ["embeddings"] = JsonSerializer.SerializeToNode(Redacted(embeddings), s_json),
            ["cluster"] = JsonSerializer.SerializeToNode(cluster, s_json),
            ["security"] = Describe(security),
            ["logging"] = new JsonObject { ["level"] = configuration["Logging:LogLevel:Default"] ?? "Information" },
            ["problems"] = new JsonArray(problems.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
        };
        if (nodes is { Count: > 0 } && report["cluster"] is JsonObject clusterReport)
        {
            clusterReport["nodes"] = new JsonArray(nodes.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
        }

        output.WriteLine(report.ToJsonString(s_json));
        return problems.Count == 0 ? 0 : 1;
    }

    // The report is printed; an API key must not be.
    private static EmbeddingOptions Redacted(EmbeddingOptions options) => new()
    {
        Provider = options.Provider,
        Model = options.Model,
        Endpoint = options.Endpoint,
        ApiKey = options.ApiKey is null ? null : "***",
        Dimensions = options.Dimensions,
        BatchSize = options.BatchSize,
    };

    // Names, roles and workspaces only: the report is printed and pasted into tickets.
    private static JsonObject Describe(SecurityOptions security) => new()
    {
        ["open"] = security.ApiKeys.Count == 0,
        ["api_keys"] = new JsonArray(security.ApiKeys.Select(k => (JsonNode?)new JsonObject
        {
            ["name"] = k.Name,
            ["role"] = k.Role,
            ["workspaces"] = new JsonArray(k.Workspaces.Select(w => (JsonNode?)JsonValue.Create(w)).ToArray()),
        }).ToArray()),
    };

    private static T Bind<T>(IConfiguration configuration, string section, List<string> problems)
        where T : new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            problems.Add($"{section}: {ex.InnerException?.Message ?? ex.Message}");
            return options;
        }

        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            problems.AddRange(results.Select(r => Describe(section, typeof(T), r)));
        }

        return options;
    }

    // "The field MaxTokens must be ..." names a C# property; users write the configuration key.
    private static string Describe(string section, Type type, ValidationResult result)
    {
        var member = result.MemberNames.FirstOrDefault();
        var property = member is null ? null : type.GetProperty(member);
        var key = property?.GetCustomAttributes(typeof(ConfigurationKeyNameAttribute), false)
            .OfType<ConfigurationKeyNameAttribute>().FirstOrDefault()?.Name ?? member;
        var message = member is null ? result.ErrorMessage : result.ErrorMessage?.Replace($"The field {member}", "The value", StringComparison.Ordinal);
        return key is null ? $"{section}: {message}" : $"{section}.{key}: {message}";
    }

    private static void CheckDataDirectory(StorageOptions storage, List<string> problems)
    {
        try
        {
            var directory = Path.GetFullPath(storage.DataDirectory);
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problems.Add($"storage.data_dir '{storage.DataDirectory}' is not a writable directory: {ex.Message}");
        }
    }

    private static void CheckUserAgentMap(WorkspaceOptions workspaces, List<string> problems)
    {
        foreach (var (fragment, id) in workspaces.UserAgentMap)
        {
            if (!Workspaces.WorkspaceId.TryCreate(id, out _, out var error))
            {
                problems.Add($"workspaces.user_agent_map.{fragment}: '{id}' is not a valid workspace id: {error}");
            }
        }
    }
}
