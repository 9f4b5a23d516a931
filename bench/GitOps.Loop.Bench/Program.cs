using GitOps.Loop.Bench;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"GitOps.Loop.Bench: {e.Message}\n{BenchOptions.Usage}");
    return 2;
}
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};
try
{
    var report = await LoopBench.RunAsync(options, Console.Out, cts.Token);
    Console.WriteLine($"results: {report.JsonPath}");
    Console.WriteLine($"summary: {report.MarkdownPath}");
    return 0;
}
catch (BenchException e)
{
    await Console.Error.WriteLineAsync($"GitOps.Loop.Bench: {e.Message}");
    return 1;
}
