using System.Globalization;
using System.Text;

namespace GitOps.Loop.Bench;

/// <summary>The Markdown section of a many-cluster run (--clusters N): each cluster's share of every step, side by side.</summary>
internal static class ClusterSection
{
    private static string F(double v, string format = "0.0") => double.IsNaN(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);

    private static string Counts(IReadOnlyDictionary<string, double>? d, string format = "0") =>
        d is null || d.Count == 0 ? "none" : string.Join(", ", d.Select(kv => $"{kv.Key} {F(kv.Value, format)}"));

    private static string Ms(Latency? l) => l is null ? "" : $"{F(l.P50Ms, "0")} / {F(l.P99Ms, "0")} ({l.Count}{(l.Missing > 0 ? $", **{l.Missing} missing**" : "")})";

    /// <summary>Empty for a one-cluster run.</summary>
    public static string Markdown(BenchResults r)
    {
        if (r.Parameters.Clusters <= 1) return "";
        var sb = new StringBuilder();
        sb.Append("## 7. By cluster\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"{r.Parameters.Clusters} sandboxes: `in-cluster` is the operator's own (where the Applications live), the others are registered in it ");
        sb.Append("(Secret `gitops-cluster-NAME` in the operator's namespace, label `gitops.dev/cluster`) and named by `spec.destination.clusterName`; app i deploys to cluster i % N. ");
        sb.Append("Requests are those each sandbox served (the benchmark's own reads of its /metrics taken out; cold sync: the Application creates, on in-cluster, and the HPA stand-in's writes, in each, included). ");
        sb.Append("The raw limit ran on as many fresh sandboxes at once, each app's objects on its app's sandbox.\n\n");
        sb.Append("| cluster | apps | raw: objects (sandbox CPU s) | cold sync: last app Synced+Healthy s | per app p50 / p99 s | cold sync: requests served | no-op resync: requests served | drift healed p50 / p99 ms (n) | webhook applied p50 / p99 ms (n) | sandbox RSS peak / steady MiB | sandbox CPU s by step |\n");
        sb.Append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var (name, cold) in r.ColdSync.ByCluster)
        {
            var raw = r.RawApply.ByCluster.GetValueOrDefault(name);
            var resync = r.Resync.ByCluster.GetValueOrDefault(name);
            var usage = r.SandboxByCluster.GetValueOrDefault(name);
            sb.Append(CultureInfo.InvariantCulture, $"| {name} | {cold.Apps - cold.NotSynced}/{cold.Apps} | {(raw is null ? "" : $"{raw.Objects} ({F(raw.SandboxCpuSeconds)})")} | {F(cold.Seconds)} | ");
            sb.Append(CultureInfo.InvariantCulture, $"{F(cold.PerAppSyncedAndHealthy.P50Ms / 1000)} / {F(cold.PerAppSyncedAndHealthy.P99Ms / 1000)} | {F(cold.SandboxRequestsByVerb.Values.Sum(), "0")} | ");
            sb.Append(CultureInfo.InvariantCulture, $"{Counts(resync?.SandboxRequestsByVerb)} | {Ms(r.Drift.HealByCluster.GetValueOrDefault(name))} | {Ms(r.Webhook.AppliedByCluster.GetValueOrDefault(name))} | ");
            sb.Append(CultureInfo.InvariantCulture, $"{(usage is null ? "" : $"{F(usage.PeakRssMiB, "0")} / {F(usage.SteadyRssMiB, "0")}")} | {(usage is null ? "" : Counts(usage.CpuSecondsByStep, "0.0"))} |\n");
        }
        sb.Append('\n');
        return sb.ToString();
    }
}
