using System.Net;
using GitOps.Sandbox.Diagnostics;
using GitOps.Sandbox.Tests.Infrastructure;
using k8s;
using k8s.Autorest;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>
/// The sandbox's own diagnostics: fault injection (500s, 429 with Retry-After, stalled
/// connections; off by default), request counters and the /metrics endpoint. Everything but
/// /metrics is sandbox-only and returns early against a real cluster.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DiagnosticsTests(ApiTarget target)
{
    private Kubernetes Client => target.Client;

    [Fact]
    public async Task Faults_ByDefault_AreOff()
    {
        if (target.IsRealCluster) return;
        var ns = await target.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("calm"), ns);
        for (var i = 0; i < 20; i++) await Client.CoreV1.ReadNamespacedConfigMapAsync("calm", ns);
        Assert.Null(target.Sandbox!.Faults.Pick("get", "configmaps"));
    }

    public static TheoryData<string, double, int, int> InternalErrorShare_TestData() => new()
    {
        { "half", 0.5, 10, 5 },
        { "a quarter", 0.25, 8, 2 },
        { "all", 1.0, 4, 4 },
        { "none", 0.0, 4, 0 },
    };

    [Theory]
    [MemberData(nameof(InternalErrorShare_TestData))]
    public async Task Faults_InternalErrorShare_FailsThatShareWith500(string caseName, double share, int requests, int expectedFailures)
    {
        _ = caseName;
        if (target.IsRealCluster) return;
        var ns = await target.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("flaky"), ns);
        target.Sandbox!.Faults.Add(new FaultRule(FaultKind.InternalError, share, Verb: "get", Resource: "configmaps"));
        try
        {
            var failures = 0;
            for (var i = 0; i < requests; i++)
            {
                try { await Client.CoreV1.ReadNamespacedConfigMapAsync("flaky", ns); }
                catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.InternalServerError)
                {
                    Assert.Contains("InternalError", e.Response.Content, StringComparison.Ordinal);
                    failures++;
                }
            }
            Assert.Equal(expectedFailures, failures);
            // Other verbs are untouched.
            await Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        }
        finally { target.Sandbox.Faults.Clear(); }
        await Client.CoreV1.ReadNamespacedConfigMapAsync("flaky", ns);
    }

    [Fact]
    public async Task Faults_TooManyRequests_Returns429WithRetryAfter()
    {
        if (target.IsRealCluster) return;
        var ns = await target.NewNamespaceAsync();
        target.Sandbox!.Faults.Add(new FaultRule(FaultKind.TooManyRequests, 1.0, Verb: "list", Resource: "configmaps", RetryAfterSeconds: 3));
        try
        {
            var e = await Conform.FailsAsync(HttpStatusCode.TooManyRequests, () => Client.CoreV1.ListNamespacedConfigMapAsync(ns));
            Assert.Equal(["3"], e.Response.Headers.First(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value);
            var status = k8s.KubernetesJson.Deserialize<k8s.Models.V1Status>(e.Response.Content);
            Assert.Equal("TooManyRequests", status.Reason);
            Assert.Equal(3, status.Details.RetryAfterSeconds);
        }
        finally { target.Sandbox.Faults.Clear(); }
        await Client.CoreV1.ListNamespacedConfigMapAsync(ns);
    }

    [Fact]
    public async Task Faults_Stall_LeavesTheClientToTimeOut()
    {
        if (target.IsRealCluster) return;
        var ns = await target.NewNamespaceAsync();
        target.Sandbox!.Faults.Add(new FaultRule(FaultKind.Stall, 1.0, Verb: "get", Resource: "configmaps"));
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            var started = DateTime.UtcNow;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.CoreV1.ReadNamespacedConfigMapAsync("any", ns, cancellationToken: cts.Token));
            Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(450));
        }
        finally { target.Sandbox.Faults.Clear(); }
        await Conform.FailsAsync(HttpStatusCode.NotFound, () => Client.CoreV1.ReadNamespacedConfigMapAsync("any", ns));
    }

    [Fact]
    public async Task Requests_ServedRequests_AreCountedByVerbResourceAndCode()
    {
        if (target.IsRealCluster) return;
        var counters = target.Sandbox!.Requests;
        var ns = await target.NewNamespaceAsync();
        var gets = counters.Count("get", "configmaps", 200);
        var missing = counters.Count("get", "configmaps", 404);
        var creates = counters.Count("create", "configmaps", 201);
        var applies = counters.Count("apply", "configmaps", 201);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("counted"), ns);
        await Client.CoreV1.ReadNamespacedConfigMapAsync("counted", ns);
        await Client.CoreV1.ReadNamespacedConfigMapAsync("counted", ns);
        await Conform.FailsAsync(HttpStatusCode.NotFound, () => Client.CoreV1.ReadNamespacedConfigMapAsync("nope", ns));
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new k8s.Models.V1Patch("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied"}}""", k8s.Models.V1Patch.PatchType.ApplyPatch), "applied", ns, fieldManager: "t");
        Assert.Equal(gets + 2, counters.Count("get", "configmaps", 200));
        Assert.Equal(missing + 1, counters.Count("get", "configmaps", 404));
        Assert.Equal(creates + 1, counters.Count("create", "configmaps", 201));
        Assert.Equal(applies + 1, counters.Count("apply", "configmaps", 201));
        Assert.True(counters.Snapshot().Count > 0);
    }

    [Fact]
    public async Task Metrics_Endpoint_ServesPrometheusText()
    {
        var (code, text, response) = await Conform.RawAsync(Client, HttpMethod.Get, "metrics");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE ", text, StringComparison.Ordinal);
        Assert.Contains("request", text, StringComparison.Ordinal);
        if (!target.IsRealCluster)
            Assert.Matches("""sandbox_requests_total\{verb="[a-z]+",resource="[a-z/]*",code="\d{3}"\} \d+""", text);
    }
}
