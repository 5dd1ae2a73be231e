using ContextLite.Benchmarks;

if (args is ["kmeans", ..]) return await ContextLite.Benchmarks.Clustering.ClusteringCommandLine.InvokeAsync(args);
if (args is ["solvers", ..]) return await ContextLite.Benchmarks.Selection.SolversCommandLine.InvokeAsync(args);
if (args is ["soak", ..]) return await ContextLite.Benchmarks.Soak.SoakCommandLine.InvokeAsync(args);
if (args is ["kernels", ..]) return await ContextLite.Benchmarks.Kernels.KernelsCommandLine.InvokeAsync(args);
if (args is ["scale", ..]) return await ContextLite.Benchmarks.Scale.ScaleCommandLine.InvokeAsync(args);
if (args is ["drain", ..]) return await ContextLite.Benchmarks.Drain.DrainCommandLine.InvokeAsync(args);
return await BenchmarkCommandLine.InvokeAsync(args);
