namespace ContextLite.Node.Configuration;

/// <summary>What the command line said; each value, when given, overrides every other source.</summary>
internal sealed record NodeArguments(
    string? ConfigFile = null,
    int? Port = null,
    string? Host = null,
    string? NodeId = null,
    string? DataDirectory = null,
    string? LogLevel = null);
