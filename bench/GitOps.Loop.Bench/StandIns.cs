using GitOps.Operator.Cluster;
using k8s;

namespace GitOps.Loop.Bench;

/// <summary>
/// <c>GitOps.Loop.Bench stand-ins --kubeconfig F</c>: the kubelet and HPA stand-ins alone, over every namespace,
/// until interrupted: what a control plane with no nodes (kube-apiserver, etcd, kube-controller-manager) lacks for
/// workloads to become ready, e.g. while the test suites run against it (GITOPS_TEST_KUBECONFIG).
/// </summary>
internal static class StandIns
{
    public const string Usage = "GitOps.Loop.Bench stand-ins --kubeconfig F: mark every Pod Running and Ready (Succeeded for a Job's, ErrImagePull for an image on registry.invalid) and give every HPA a working autoscaler's conditions, until Ctrl-C";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter log, CancellationToken ct)
    {
        if (args.Count != 2 || args[0] != "--kubeconfig" || !File.Exists(args[1])) throw new ArgumentException(Usage);
        using var api = KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(args[1]));
        await using var pods = await StatusStandIn.WatchPodsAsync(api, null);
        await using var hpas = await StatusStandIn.WatchHpasAsync(api, null);
        await log.WriteLineAsync($"standing in for the kubelet and the HPA controller on {api.BaseUri}; Ctrl-C to stop");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }
        await log.WriteLineAsync($"status writes: {pods.Writes} pods, {hpas.Writes} HPAs");
        return 0;
    }
}
