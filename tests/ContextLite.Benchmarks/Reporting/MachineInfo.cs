using System.Reflection;
using System.Runtime.InteropServices;

namespace ContextLite.Benchmarks.Reporting;

/// <summary>What the numbers were measured on, for the report.</summary>
internal static class MachineInfo
{
    public static string Cores => Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Processor { get; } = ReadProcessorModel();

    public static string OperatingSystem => $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})";

    public static string Runtime => RuntimeInformation.FrameworkDescription;

    /// <summary>The build configuration of this assembly: numbers from a Debug build are not comparable.</summary>
    public static string Configuration { get; } =
        typeof(MachineInfo).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "unknown";

    /// <summary>
    /// The 1, 5 and 15 minute load averages where the OS reports them: a busy machine (another build, a test
    /// run) slows every run, and the spread between runs is only meaningful next to this.
    /// </summary>
    public static string LoadAverage()
    {
        const string loadAverage = "/proc/loadavg";
        try
        {
            if (File.Exists(loadAverage))
            {
                return string.Join(' ', File.ReadAllText(loadAverage).Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3));
            }
        }
        catch (IOException)
        {
            // Decoration, like the processor model.
        }

        return "not reported";
    }

    /// <summary>The source revision ContextLite.Core was built from (the SDK stamps it into the informational version).</summary>
    public static string EngineRevision()
    {
        var version = typeof(ContextLite.Storage.WorkspaceStore).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var plus = version?.IndexOf('+', StringComparison.Ordinal) ?? -1;
        return plus >= 0 && version!.Length - plus > 8 ? version[(plus + 1)..(plus + 8)] : "unknown";
    }

    private static string ReadProcessorModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        try
        {
            if (File.Exists(cpuInfo))
            {
                var line = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                var colon = line?.IndexOf(':', StringComparison.Ordinal) ?? -1;
                if (colon >= 0)
                {
                    return line![(colon + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
            // The model is decoration; the core count is what the numbers depend on.
        }

        return "unknown processor";
    }
}
