using System.ComponentModel.DataAnnotations;

namespace ContextLite.Node.Configuration;

/// <summary>The node's HTTP listener and request limits.</summary>
internal sealed class ServerOptions
{
    public const string Section = "server";

    /// <summary>The address to bind; <c>0.0.0.0</c> for every interface.</summary>
    [Required]
    [ConfigurationKeyName("host")]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The port; 0 picks a free one. Null keeps whatever the host was given (e.g. by Aspire).</summary>
    [Range(0, 65535)]
    [ConfigurationKeyName("port")]
    public int? Port { get; set; }

    /// <summary>
    /// Listen on the first free port in 8080-8090 (<c>CONTEXTLITE_AUTO_PORT=true</c>); a <c>--port</c> flag wins.
    /// Chosen once while configuration is layered, so <c>--validate</c> shows the port the node would use.
    /// </summary>
    [ConfigurationKeyName("auto_port")]
    public bool AutoPort { get; set; }

    /// <summary>The largest request body in bytes (default 64 MiB).</summary>
    [Range(1024, int.MaxValue)]
    [ConfigurationKeyName("max_request_body_bytes")]
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>The most documents one write request may carry.</summary>
    [Range(1, 100_000)]
    [ConfigurationKeyName("max_documents_per_request")]
    public int MaxDocumentsPerRequest { get; set; } = 1000;

    /// <summary>The largest page of a document listing.</summary>
    [Range(1, 10_000)]
    [ConfigurationKeyName("max_page_size")]
    public int MaxPageSize { get; set; } = 1000;
}
