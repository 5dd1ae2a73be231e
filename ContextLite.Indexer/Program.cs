using ContextLite.Indexer.Hosting;

IndexerApplication.Build(args).Run();
