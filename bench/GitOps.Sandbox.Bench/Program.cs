using System.Diagnostics;
using System.Globalization;
using GitOps.Sandbox;
using k8s;
using k8s.Models;

// Server-side apply throughput of a small ConfigMap against an in-process sandbox, through the
// real KubernetesClient over loopback HTTP. Usage: dotnet run -c Release [-- seconds]
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var duration = TimeSpan.FromSeconds(seconds);

await using var sandbox = await SandboxServer.StartAsync();
var kubeconfig = sandbox.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"gitops-bench-{Environment.ProcessId}", "kubeconfig"));
var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);

Console.WriteLine($"SSA throughput, small ConfigMap, {seconds:0.#} s per scenario, {Environment.ProcessorCount} cores");
Console.WriteLine($"{"scenario",-34} {"clients",7} {"requests",9} {"req/s",9} {"p50 ms",8} {"p99 ms",8}");
foreach (var changing in new[] { true, false })
    foreach (var clients in new[] { 1, 8 })
        await RunAsync(changing ? "apply, data changes each time" : "apply, identical re-apply", clients, changing);

Directory.Delete(Path.GetDirectoryName(kubeconfig)!, recursive: true);

async Task RunAsync(string name, int clients, bool changing)
{
    var kubes = Enumerable.Range(0, clients).Select(_ => new Kubernetes(config)).ToArray();
    // Each client applies its own object, so writers never conflict with each other.
    var runId = Guid.NewGuid().ToString("N")[..6];
    async Task<long[]> Client(int index)
    {
        var kube = kubes[index];
        var objName = $"bench-{runId}-{index}";
        var latencies = new List<long>();
        var n = 0L;
        await Apply(kube, objName, 0); // warm the connection and create the object
        var stop = Stopwatch.StartNew();
        while (stop.Elapsed < duration)
        {
            var t = Stopwatch.GetTimestamp();
            await Apply(kube, objName, changing ? ++n : 0);
            latencies.Add(Stopwatch.GetTimestamp() - t);
        }
        return [.. latencies];
    }
    var sw = Stopwatch.StartNew();
    var all = (await Task.WhenAll(Enumerable.Range(0, clients).Select(i => Task.Run(() => Client(i))))).SelectMany(x => x).Order().ToArray();
    var elapsed = sw.Elapsed.TotalSeconds;
    double Ms(double q) => all.Length == 0 ? 0 : all[(int)Math.Min(all.Length - 1, q * all.Length)] * 1000.0 / Stopwatch.Frequency;
    Console.WriteLine($"{name,-34} {clients,7} {all.Length,9} {all.Length / elapsed,9:0} {Ms(0.5),8:0.00} {Ms(0.99),8:0.00}");
    foreach (var k in kubes) k.Dispose();
}

static Task<V1ConfigMap> Apply(Kubernetes kube, string name, long n) =>
    kube.CoreV1.PatchNamespacedConfigMapAsync(
        new V1Patch($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","labels":{"app":"bench"}},"data":{"counter":"{{{n}}}","static":"value"}}""", V1Patch.PatchType.ApplyPatch),
        name, "default", fieldManager: "bench", force: true);
