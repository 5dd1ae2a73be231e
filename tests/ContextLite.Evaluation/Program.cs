using ContextLite.Evaluation;

var arguments = EvaluationArguments.Parse(args, Console.Error);
if (arguments is null)
{
    return 2;
}

var dataset = Dataset.Load(arguments.Dataset, arguments.Vectors);
Console.WriteLine($"{dataset.Name}: {dataset.Corpus.Count} documents, {dataset.Qrels.Count} judged queries, vectors: {(dataset.CorpusVectors is null ? "none" : arguments.Vectors)}");
var report = await EvaluationRun.RunAsync(dataset, arguments);
report.Print(Console.Out);
report.Save(arguments);
return 0;
