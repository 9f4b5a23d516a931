namespace GitOps.Loop.Bench;

// The figures of one cluster of a many-cluster run (--clusters N), keyed by cluster name (in-cluster, bench-1, ...)
// in the step results; a one-cluster run has one entry, in-cluster, equal to the whole.

/// <summary>The raw-apply step's share of one sandbox: its objects and the CPU it spent on them.</summary>
public sealed record RawApplyShare(int Objects, double SandboxCpuSeconds);

/// <summary>The cold sync of one cluster's apps: when its last one was Synced and Healthy, per app, and the requests its sandbox served.</summary>
public sealed record ClusterColdSync(int Apps, int NotSynced, double Seconds, Latency PerAppSyncedAndHealthy, IReadOnlyDictionary<string, double> SandboxRequestsByVerb);

/// <summary>The no-op resync as one cluster's sandbox saw it: requests served by verb, of them writes.</summary>
public sealed record ClusterResync(double Writes, IReadOnlyDictionary<string, double> SandboxRequestsByVerb);
