using ContextLite.Benchmarks;

return await BenchmarkCommandLine.InvokeAsync(args);
