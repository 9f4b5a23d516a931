using GitOps.Operator.Cluster;
using GitOps.Operator.Metrics;
using Prometheus;

namespace GitOps.Operator.Tests.Observability;

public sealed class OperatorMetricsTests
{
    private static async Task<string> ScrapeAsync(OperatorMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task SetDrift_AppMovedToAnotherCluster_OneSeriesLabelledWithTheNewCluster()
    {
        var metrics = new OperatorMetrics();
        metrics.SetDrift("shop", "web", "in-cluster", drifted: 2, held: 1);
        metrics.SetDrift("shop", "other", "in-cluster", drifted: 1, held: 0);

        metrics.SetDrift("shop", "web", "prod-eu", drifted: 3, held: 0);

        var lines = (await ScrapeAsync(metrics)).Split('\n').Where(l => l.StartsWith("gitops_app_drift", StringComparison.Ordinal)).ToList();
        Assert.Contains("gitops_app_drifted_resources{namespace=\"shop\",name=\"web\",cluster=\"prod-eu\"} 3", lines);
        Assert.Contains("gitops_app_drift_held_resources{namespace=\"shop\",name=\"web\",cluster=\"prod-eu\"} 0", lines);
        Assert.Contains("gitops_app_drifted_resources{namespace=\"shop\",name=\"other\",cluster=\"in-cluster\"} 1", lines);
        Assert.DoesNotContain(lines, l => l.Contains("name=\"web\",cluster=\"in-cluster\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForgetApp_AfterReconcileSeries_EveryPerAppSeriesGoneOthersKept()
    {
        var metrics = new OperatorMetrics();
        foreach (var name in new[] { "gone", "kept" })
        {
            metrics.SetAppInfo("shop", name, "https://git.example.com/org/config.git", "apps/" + name, "shop", "Synced", "Healthy", true);
            metrics.ReconcileDuration.WithLabels("shop", name).Observe(0.2);
            metrics.SyncTotal.WithLabels("shop", name, "succeeded").Inc();
            metrics.SetDrift("shop", name, "in-cluster", drifted: 1, held: 0);
            metrics.DriftHealedTotal.WithLabels("shop", name).Inc();
            metrics.SourceFetchErrorsTotal.WithLabels("shop", name, "Unreachable").Inc();
        }

        metrics.ForgetApp("shop", "gone");

        var text = await ScrapeAsync(metrics);
        Assert.DoesNotContain("name=\"gone\"", text, StringComparison.Ordinal);
        Assert.Equal(7, text.Split('\n').Count(l => l.StartsWith("gitops_", StringComparison.Ordinal) && l.Contains("name=\"kept\"", StringComparison.Ordinal) && !l.Contains("_bucket", StringComparison.Ordinal) && !l.Contains("_sum", StringComparison.Ordinal)));
    }

    public static TheoryData<string, string, string, string> AppInfoChange_TestData => new()
    {
        { "sync status changes", "OutOfSync", "Healthy", "sync_status=\"OutOfSync\"" },
        { "health changes", "Synced", "Degraded", "health_status=\"Degraded\"" },
    };

    [Theory]
    [MemberData(nameof(AppInfoChange_TestData))]
    public async Task SetAppInfo_LabelChanges_OneSeriesPerApp(string caseName, string sync, string health, string expected)
    {
        var metrics = new OperatorMetrics();
        metrics.SetAppInfo("shop", "web", "https://h/o/r", ".", "shop", "Synced", "Healthy", true);

        metrics.SetAppInfo("shop", "web", "https://h/o/r", ".", "shop", sync, health, true);

        var lines = (await ScrapeAsync(metrics)).Split('\n').Where(l => l.StartsWith("gitops_app_info{", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count == 1, $"{caseName}: {string.Join("\n", lines)}");
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> RepoLabel_TestData => new()
    {
        { "credentials in URL", "https://user:s3cr3t@git.example.com/org/repo.git", "https://git.example.com/org/repo.git" },
        { "token only", "https://ghp_abcdef@github.com/org/repo", "https://github.com/org/repo" },
        { "query string", "https://git.example.com/org/repo.git?private_token=abc", "https://git.example.com/org/repo.git" },
        { "scp-like ssh kept", "git@github.com:org/repo.git", "git@github.com:org/repo.git" },
        { "at sign in path kept", "https://git.example.com/org/@scope/repo", "https://git.example.com/org/@scope/repo" },
    };

    [Theory]
    [MemberData(nameof(RepoLabel_TestData))]
    public void RepoLabel_Url_NoSecretsLeft(string caseName, string url, string expected)
    {
        Assert.True(OperatorMetrics.RepoLabel(url) == expected, $"{caseName}: {OperatorMetrics.RepoLabel(url)}");
    }

    public static TheoryData<string, string, string, string, string> Describe_TestData => new()
    {
        { "get configmap", "GET", "/api/v1/namespaces/a/configmaps/b", "get", "configmaps" },
        { "list configmaps", "GET", "/api/v1/namespaces/a/configmaps?limit=500", "list", "configmaps" },
        { "watch all namespaces", "GET", "/apis/apps/v1/deployments?watch=true&resourceVersion=5", "watch", "deployments" },
        { "status update", "PUT", "/apis/gitops.dev/v1alpha1/namespaces/a/applications/b/status", "update", "applications/status" },
        { "apply", "PATCH", "/apis/apps/v1/namespaces/a/deployments/web?fieldManager=gitops-operator&force=true", "patch", "deployments" },
        { "create namespace", "POST", "/api/v1/namespaces", "create", "namespaces" },
        { "get namespace", "GET", "/api/v1/namespaces/a", "get", "namespaces" },
        { "delete", "DELETE", "/api/v1/namespaces/a/secrets/b", "delete", "secrets" },
        { "cluster-scoped", "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x", "get", "customresourcedefinitions" },
        { "discovery", "GET", "/apis/gitops.dev/v1alpha1", "list", "discovery" },
    };

    [Theory]
    [MemberData(nameof(Describe_TestData))]
    public void Describe_RequestPath_VerbAndResourceWithoutObjectNames(string caseName, string method, string path, string verb, string resource)
    {
        var (v, r) = KubeApi.Describe(new HttpMethod(method), path);
        Assert.True(v == verb && r == resource, $"{caseName}: {v} {r}");
    }
}
