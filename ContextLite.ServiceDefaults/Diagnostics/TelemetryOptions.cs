using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace ContextLite.ServiceDefaults.Diagnostics;

/// <summary>The <c>telemetry</c> section shared by every service: metric cardinality and the Prometheus endpoint.</summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "telemetry";

    /// <summary>The tag value that stands for every workspace past <see cref="MaxWorkspaceTags"/>.</summary>
    public const string OtherWorkspace = "other";

    /// <summary>
    /// How many distinct <c>workspace</c> tag values a service records; later workspaces are recorded as
    /// <see cref="OtherWorkspace"/>, so a node with thousands of workspaces cannot grow its series without bound.
    /// </summary>
    [ConfigurationKeyName("max_workspace_tags")]
    [Range(1, 100_000)]
    public int MaxWorkspaceTags { get; set; } = 100;

    /// <summary>Where the Prometheus text exposition is served.</summary>
    /// <summary>
    /// Record traces even without an OTLP endpoint (for an in-process exporter). Off by default: with nothing to
    /// export them to, recording a span for every query stage cost about 30% of an assemble's time.
    /// </summary>
    [ConfigurationKeyName("tracing")]
    public bool Tracing { get; set; }

    [ConfigurationKeyName("metrics_path")]
    [RegularExpression("^/[A-Za-z0-9/_.-]*$")]
    public string MetricsPath { get; set; } = "/metrics";
}
