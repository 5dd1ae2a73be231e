using ContextLite.Node.Cli;

return await NodeCommandLine.InvokeAsync(args);
