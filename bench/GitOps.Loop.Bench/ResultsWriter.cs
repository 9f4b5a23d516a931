using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GitOps.Loop.Bench;

/// <summary>Writes <c>&lt;date&gt;-&lt;apps&gt;.json</c> and the Markdown summary beside it.</summary>
internal static class ResultsWriter
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static BenchOutput Write(BenchResults results, string directory, string? tag = null)
    {
        Directory.CreateDirectory(directory);
        var date = DateTimeOffset.Parse(results.StartedAt, CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var stem = Path.Combine(directory, $"{date}-{results.Parameters.Apps.ToString(CultureInfo.InvariantCulture)}{(string.IsNullOrEmpty(tag) ? "" : "-" + tag)}");
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(results, s_json) + "\n");
        File.WriteAllText(stem + ".md", Markdown(results));
        return new BenchOutput(results, stem + ".json", stem + ".md");
    }

    private static string F(double v, string format = "0.0") => double.IsNaN(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);

    private static string Counts<T>(IReadOnlyDictionary<string, T> d) => d.Count == 0 ? "none" : string.Join(", ", d.Select(kv => $"{kv.Key} {kv.Value}"));

    private static string RenderTimes(IReadOnlyDictionary<string, RenderTime> d) =>
        d.Count == 0 ? "none" : string.Join(", ", d.Select(kv => $"{kv.Key} {F(kv.Value.MeanMs)} ms mean over {F(kv.Value.Runs, "0")}"));

    /// <summary>The figures next to the targets, as a Markdown table.</summary>
    public static string Table(BenchResults r)
    {
        var sb = new StringBuilder();
        sb.Append("| figure | target | measured | met | what limits it |\n|---|---|---|---|---|\n");
        foreach (var t in r.Targets)
            sb.Append(CultureInfo.InvariantCulture, $"| {t.Figure} | {t.Target} | {t.Measured} | {(t.Met is null ? "" : t.Met.Value ? "yes" : "**no**")} | {t.LimitedBy} |\n");
        return sb.ToString();
    }

    private static string Markdown(BenchResults r)
    {
        var p = r.Parameters;
        var m = r.Machine;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# GitOps loop benchmark: {p.Apps} apps x {p.ObjectsPerApp} objects{(p.Quick ? " (quick)" : "")}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Started {r.StartedAt}, took {F(r.TotalSeconds)} s. Command: `{r.Command}`\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Machine: {m.Cores} cores ({m.Cpu}), {F(m.MemoryMiB, "0")} MiB, {m.Os}, {m.Runtime}; load average at the end {m.Load}. Commit {m.Commit} ({m.CommitSubject}).\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Parameters: {p.Apps} Applications over {p.Repos} repositories ({p.KustomizeApps} render with Kustomize, {p.HelmApps} are Helm charts, the rest are plain directories), {p.ObjectsPerApp} objects each; operator `--workers {p.Workers}`; raw-apply loop with {p.RawConcurrency} requests in flight; `spec.interval` {F(p.IntervalSeconds, "0")} s; {p.DriftObjects} drifted objects; a commit touching {p.WebhookApps} apps{(p.Clusters > 1 ? $"; **{p.Clusters} clusters** (sandboxes): the operator's own and {p.Clusters - 1} registered, app i deploying to cluster i % {p.Clusters}" : "")}. {(p.ClusterCores is null ? $"The sandbox{(p.Clusters > 1 ? "es" : "")}, the operator and the benchmark (Git server, watches) share the machine's cores." : $"**Cores split** (`--cluster-cores`): the API server on core(s) {p.ClusterCores}, the operator, its renderer processes and the benchmark (Git server, watches) on {p.OtherCores}.")}\n\n");
        var external = !p.Cluster.StartsWith("sandbox", StringComparison.Ordinal);
        sb.Append(CultureInfo.InvariantCulture, $"API server: {p.Cluster}.{(!external ? "" : " An existing cluster: requests \"served, by verb\" below are " + (p.ServedRequestsMeasured ? "its API server's count of resource requests from every client (its `apiserver_request_total`: the operator, the benchmark, the cluster's controllers); " : "the operator's own count; ") +
            (p.ClusterProcesses > 0 ? $"the \"sandbox\" CPU and memory are those of its {p.ClusterProcesses} processes on this machine (`--cluster-pid`: API server, etcd, controller manager), summed." : "the API server's CPU and memory are not measured."))}\n\n");
        sb.Append("## Figures against the targets\n\n").Append(Table(r)).Append('\n');

        var raw = r.RawApply;
        sb.Append("## 1. Raw server-side apply (the limit)\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"{raw.Objects} objects after their {raw.Namespaces} namespaces (timed together, as the cold sync creates its namespaces in its own time), {raw.Concurrency} in flight, {(!p.Cluster.StartsWith("sandbox", StringComparison.Ordinal) ? "namespaces raw-<app>" : p.Clusters > 1 ? $"{p.Clusters} fresh sandboxes at once, each app's objects on the sandbox its app deploys to" : "fresh sandbox")}: {F(raw.Seconds, "0.00")} s = **{F(raw.ObjectsPerSecond, "0")} objects/s** ({raw.Errors} errors; sandbox CPU {F(raw.SandboxCpuSeconds, "0.0")} s). The namespaces took {F(raw.NamespaceSeconds, "0.00")} s; the objects alone {F(raw.ObjectsAlonePerSecond, "0")} objects/s (the raw limit as runs before 2026-12-07's session 13 measured it, namespaces untimed).");
        if (!double.IsNaN(raw.SettledSeconds))
            sb.Append(CultureInfo.InvariantCulture, $" Every Deployment it applied available (the cluster's controllers done: ReplicaSets, Pods, status) after {F(raw.SettledSeconds, "0.00")} s = {F(raw.SettledObjectsPerSecond, "0")} objects/s (CPU {F(raw.SettledCpuSeconds, "0.0")} s).");
        sb.Append("\n\n");

        var c = r.ColdSync;
        sb.Append("## 2. Cold sync\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"All {p.Apps - c.NotSynced}/{p.Apps} apps Synced and Healthy **{F(c.Seconds)} s** after the first Application was created (creating them took {F(c.CreateSeconds)} s; the first app was done at {F(c.FirstAppSeconds)} s): **{F(c.ObjectsPerSecond, "0")} objects/s = {F(c.RatioToLimit, "0.00")} x the raw limit**. ");
        sb.Append(CultureInfo.InvariantCulture, $"Per app, creation to Synced+Healthy: p50 {F(c.PerAppSyncedAndHealthy.P50Ms / 1000)} s, p99 {F(c.PerAppSyncedAndHealthy.P99Ms / 1000)} s.\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"- API requests served by the sandbox, by verb: {Counts(c.SandboxRequestsByVerb)} (includes the benchmark's Application creates and HPA status stand-in writes)\n");
        sb.Append(CultureInfo.InvariantCulture, $"- API requests made by the operator, by verb: {Counts(c.OperatorRequestsByVerb)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"- Git requests: {Counts(c.GitRequests)}; renderer processes {F(c.RenderProcesses, "0")}; reconciles {F(c.Reconciles, "0")}\n");
        sb.Append(CultureInfo.InvariantCulture, $"- renderer tool processes (each app's first render, a cache miss), wall time by tool: {RenderTimes(c.ToolRuns)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"- render stage (tool or cache, then parse), by renderer: {RenderTimes(c.RenderByRenderer)}; desired-state cache lookups: {Counts(c.DesiredStateCache)}\n\n");

        var s = r.Resync;
        sb.Append("## 3. No-op resync\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Nothing changed; {F(s.Reconciles, "0")} reconciles ({s.AppsReconciled}/{p.Apps} apps reconciled at least once) in {F(s.Seconds)} s with `spec.interval` {F(s.IntervalSeconds, "0")} s.\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"- **writes: {F(s.Writes, "0")}**; sandbox requests by verb: {Counts(s.SandboxRequestsByVerb)}; the operator's own count: {Counts(s.OperatorRequestsByVerb)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"- **remote Git: {s.RemoteLs} ls ({s.MaxLsPerRepo} at most per repository), {s.Fetches} fetches**; all Git requests: {Counts(s.GitRequests)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"- **renderer processes: {F(s.RenderProcesses, "0")}**; render stages run {F(s.RenderStageRuns, "0")} (an unchanged commit's desired state comes from the desired-state cache, behind it Kustomize and Helm output from the render cache: {F(s.RenderCacheMisses, "0")} misses)\n");
        sb.Append(CultureInfo.InvariantCulture, $"- render stage per app (cached), by renderer: {RenderTimes(s.RenderByRenderer)}; desired-state cache lookups: {Counts(s.DesiredStateCache)}\n\n");

        var d = r.Drift;
        sb.Append("## 4. Drift\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"{d.Edited} ConfigMaps edited by hand (merge patch by another field manager), one every 50 ms; time from the edit to the watch event showing Git's value again: ");
        sb.Append(CultureInfo.InvariantCulture, $"**p50 {F(d.Heal.P50Ms, "0")} ms, p95 {F(d.Heal.P95Ms, "0")} ms, p99 {F(d.Heal.P99Ms, "0")} ms, max {F(d.Heal.MaxMs, "0")} ms**; {d.Heal.Missing} not healed.\n\n");

        var w = r.Webhook;
        sb.Append("## 5. Webhook\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"One commit changing {w.AppsChanged} of the {w.AppsOnRepo} apps of one repository (push took {F(w.PushSeconds, "0.00")} s), then a signed GitHub push webhook ({(r.Parameters.WebhookFiles ? "its commit lists the changed files, as GitHub's do" : "no commit list: every app of the repository is queued in no order")}). From the POST to the changed ConfigMap being applied: ");
        sb.Append(CultureInfo.InvariantCulture, $"**p50 {F(w.Applied.P50Ms, "0")} ms, p99 {F(w.Applied.P99Ms, "0")} ms, max {F(w.Applied.MaxMs, "0")} ms** ({w.Applied.Missing} missing); to the app's status Synced+Healthy at the new commit: p50 {F(w.AppSyncedAtNewRevision.P50Ms, "0")} ms, p99 {F(w.AppSyncedAtNewRevision.P99Ms, "0")} ms; ");
        sb.Append(CultureInfo.InvariantCulture, $"every app of the repository at the new commit after {F(w.AllAppsOnRepoAtNewRevisionSeconds, "0.0")} s. Git requests: {Counts(w.GitRequests)}; renderer processes {F(w.RenderProcesses, "0")}; sandbox requests by verb: {Counts(w.SandboxRequestsByVerb)}.\n\n");

        sb.Append("## 6. Memory and CPU\n\n| process | peak RSS MiB | steady RSS MiB | CPU s total | children CPU s | CPU s by step | RSS MiB at the end of each step |\n|---|---|---|---|---|---|---|\n");
        var rows = new List<(string, ProcessUsage)> { ("operator", r.Operator), (p.Clusters > 1 ? $"sandboxes (the sum of {p.Clusters}; peak = the sum of each one's peak)" : p.ClusterProcesses > 0 ? $"cluster (the sum of its {p.ClusterProcesses} processes; peak = the sum of each one's peak)" : "sandbox", r.Sandbox) };
        if (p.Clusters > 1) rows.AddRange(r.SandboxByCluster.Select(kv => ($"sandbox {kv.Key}", kv.Value)));
        foreach (var (name, u) in rows)
            sb.Append(CultureInfo.InvariantCulture, $"| {name} | {F(u.PeakRssMiB, "0")} | {F(u.SteadyRssMiB, "0")} | {F(u.CpuSeconds)} | {F(u.ChildCpuSeconds)} | {Counts(u.CpuSecondsByStep)} | {Counts(u.RssMiBAtEndOfStep)} |\n");
        sb.Append("\nSteady RSS is read at the end of the no-op resync pass. Children CPU is that of the operator's renderer processes (kubectl kustomize, helm template) it waited for.\n");
        if (p.Clusters > 1) sb.Append('\n').Append(ClusterSection.Markdown(r));
        if (r.Notes.Count > 0)
        {
            sb.Append("\n## Notes\n\n");
            foreach (var n in r.Notes) sb.Append("- ").Append(n).Append('\n');
        }
        return sb.ToString();
    }
}
