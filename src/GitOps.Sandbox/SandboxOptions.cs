namespace GitOps.Sandbox;

/// <summary>Settings of one sandbox API server. Every timeout and interval lives here.</summary>
public sealed record SandboxOptions
{
    public static SandboxOptions Default { get; } = new();

    /// <summary>Address to listen on; port 0 picks a free port.</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";
    public int Port { get; init; }

    /// <summary>How long a watch without timeoutSeconds stays open (the apiserver picks 30-60 minutes).</summary>
    public TimeSpan DefaultWatchTimeout { get; init; } = TimeSpan.FromMinutes(30);
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the simulated controllers wait before a workload reports ready.</summary>
    public TimeSpan WorkloadReadyDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Watch history kept for resourceVersion resume; older versions answer 410 Gone.</summary>
    public int HistoryLimit { get; init; } = 50_000;

    /// <summary>
    /// AlwaysAllow (the default) allows every request, with or without a token. Rbac authenticates
    /// bearer tokens the sandbox issued (401 otherwise), honours impersonation the caller may do,
    /// authorises by the stored RBAC objects, seeds kube-apiserver's bootstrap roles and checks
    /// Role and binding writes for escalation.
    /// </summary>
    public AuthorizationMode Authorization { get; init; } = AuthorizationMode.AlwaysAllow;

    /// <summary>
    /// The clock of the times the server writes (creation and deletion timestamps, managedFields
    /// times, which order the entries by the second, and the simulated controllers' condition times).
    /// Tests may fix it to make a second boundary fall where they want it.
    /// </summary>
    public Api.IClock Clock { get; init; } = Api.SystemClock.Instance;

    /// <summary>Namespaces present at start, as a fresh cluster has them.</summary>
    public IReadOnlyList<string> InitialNamespaces { get; init; } = ["default", "kube-system", "kube-public", "kube-node-lease"];
}
