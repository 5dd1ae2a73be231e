using ContextLite.Node.Cli;

namespace ContextLite.Node.Tests.Cli;

/// <summary>One run of <c>ingest</c> through the real command line, with what it printed.</summary>
internal sealed record IngestInvocation(int ExitCode, string Output, string Error)
{
    public static async Task<IngestInvocation> RunAsync(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await NodeCommandLine.InvokeAsync(["ingest", .. arguments], output, error);
        return new IngestInvocation(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>The summary line <c>label: value</c>, for asserting one count.</summary>
    public string Line(string label)
    {
        foreach (var line in Output.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith(label + ":", StringComparison.Ordinal))
            {
                return trimmed;
            }
        }

        return $"(no '{label}' line in: {Output})";
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
