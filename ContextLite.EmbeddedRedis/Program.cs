// A Redis-protocol server for machines without a container runtime: Microsoft Garnet with Lua enabled
// (ContextLite's quota scripts need EVAL). The AppHost runs it when no healthy Docker engine is found.
// Usage: ContextLite.EmbeddedRedis [--port N] (or EMBEDDED_REDIS_PORT); binds 127.0.0.1; data in memory only.
using Garnet;

var port = args.Length >= 2 && args[0] == "--port" ? args[1] : Environment.GetEnvironmentVariable("EMBEDDED_REDIS_PORT") ?? "6379";
using var server = new GarnetServer(["--port", port, "--bind", "127.0.0.1", "--lua", "true"]);
server.Start();
Console.WriteLine($"Embedded Redis (Garnet) listening on 127.0.0.1:{port}");

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Stopping is the normal way out.
}
