using GitOps.Loop.Bench;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};
if (args.Length > 0 && args[0] == "stand-ins")
{
    try
    {
        return await StandIns.RunAsync(args[1..], Console.Out, cts.Token);
    }
    catch (ArgumentException e)
    {
        await Console.Error.WriteLineAsync(e.Message);
        return 2;
    }
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
