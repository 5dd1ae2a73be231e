using System.CommandLine;

namespace ContextLite.Node.Cli;

/// <summary><c>ingest &lt;dir&gt;</c>: walks a folder and posts its text files to a node in batches.</summary>
internal static class IngestCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("ingest", "Ingest a folder into a workspace (not yet implemented).");
        command.SetAction(_ =>
        {
            error.WriteLine("ingest: not implemented yet");
            return 2;
        });
        _ = output;
        return command;
    }
}
