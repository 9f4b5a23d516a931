using GitOps.Engine.Health;
using GitOps.Engine.Model;

namespace GitOps.Engine.Tests.Health;

/// <summary>Each fixture <c>TestData/Health/&lt;kind&gt;-&lt;state&gt;.yaml</c> against its expected health (null = no opinion).</summary>
public class HealthTests
{
    public static TheoryData<string, string, HealthCode?, string> Assess_TestData() => new()
    {
        { "deployment rolled out", "deployment-healthy", HealthCode.Healthy, "" },
        { "deployment updating", "deployment-progressing", HealthCode.Progressing, "1 out of 3 new replicas" },
        { "deployment spec not yet observed", "deployment-generation-pending", HealthCode.Progressing, "observed deployment generation" },
        { "deployment past deadline", "deployment-degraded", HealthCode.Degraded, "progress deadline" },
        { "deployment paused", "deployment-suspended", HealthCode.Suspended, "paused" },
        { "statefulset rolled out", "statefulset-healthy", HealthCode.Healthy, "" },
        { "statefulset revision rolling", "statefulset-progressing", HealthCode.Progressing, "db-2" },
        { "statefulset partition done", "statefulset-partitioned", HealthCode.Healthy, "partitioned" },
        { "daemonset rolled out", "daemonset-healthy", HealthCode.Healthy, "" },
        { "daemonset updating", "daemonset-progressing", HealthCode.Progressing, "2 out of 3" },
        { "replicaset available", "replicaset-healthy", HealthCode.Healthy, "" },
        { "replicaset quota failure", "replicaset-degraded", HealthCode.Degraded, "exceeded quota" },
        { "pod running and ready", "pod-healthy", HealthCode.Healthy, "" },
        { "pod crash looping", "pod-crashloop", HealthCode.Degraded, "CrashLoopBackOff" },
        { "pod pending", "pod-pending", HealthCode.Progressing, "" },
        { "pod completed", "pod-succeeded", HealthCode.Healthy, "" },
        { "pod failed", "pod-failed", HealthCode.Degraded, "OOMKilled" },
        { "pending deletion wins", "pod-deleting", HealthCode.Progressing, "Pending deletion" },
        { "job complete", "job-healthy", HealthCode.Healthy, "" },
        { "job failed", "job-degraded", HealthCode.Degraded, "backoff limit" },
        { "job running", "job-progressing", HealthCode.Progressing, "" },
        { "job suspended", "job-suspended", HealthCode.Suspended, "" },
        { "pvc bound", "persistentvolumeclaim-healthy", HealthCode.Healthy, "" },
        { "pvc pending", "persistentvolumeclaim-progressing", HealthCode.Progressing, "" },
        { "pvc lost", "persistentvolumeclaim-degraded", HealthCode.Degraded, "" },
        { "cluster ip service", "service-clusterip", HealthCode.Healthy, "" },
        { "load balancer without address", "service-loadbalancer-pending", HealthCode.Progressing, "load balancer" },
        { "load balancer with address", "service-loadbalancer-healthy", HealthCode.Healthy, "" },
        { "ingress with address", "ingress-healthy", HealthCode.Healthy, "" },
        { "ingress without address", "ingress-progressing", HealthCode.Progressing, "" },
        { "crd established", "customresourcedefinition-healthy", HealthCode.Healthy, "" },
        { "crd not yet established", "customresourcedefinition-progressing", HealthCode.Progressing, "" },
        { "crd names rejected", "customresourcedefinition-degraded", HealthCode.Degraded, "already in use" },
        { "namespace active", "namespace-healthy", HealthCode.Healthy, "" },
        { "namespace terminating", "namespace-terminating", HealthCode.Progressing, "terminating" },
        { "hpa scaling", "horizontalpodautoscaler-healthy", HealthCode.Healthy, "" },
        { "hpa without metrics", "horizontalpodautoscaler-degraded", HealthCode.Degraded, "metrics" },
        { "hpa not yet processed", "horizontalpodautoscaler-progressing", HealthCode.Progressing, "" },
        { "custom resource Ready", "widget-ready", HealthCode.Healthy, "all good" },
        { "custom resource Stalled", "widget-stalled", HealthCode.Degraded, "invalid spec" },
        { "custom resource generation pending", "widget-generation-pending", HealthCode.Progressing, "" },
        { "custom resource not ready", "widget-not-ready", HealthCode.Progressing, "waiting for backend" },
        { "custom resource without status: no opinion", "widget-no-status", null, "" },
        { "configmap: no opinion", "configmap-plain", null, "" },
    };

    [Theory]
    [MemberData(nameof(Assess_TestData))]
    public void Assess_Fixture_ExpectedHealth(string caseName, string fixture, HealthCode? expected, string messagePart)
    {
        var live = Load(fixture);

        var status = HealthRegistry.Default.Assess(live);

        Assert.True(status?.Code == expected, $"{caseName}: {status?.ToString() ?? "null"}");
        if (status is not null) Assert.Contains(messagePart, status.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Fixtures_EveryBuiltInKind_HasAtLeastOne()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "Health"), "*.yaml").Select(Path.GetFileNameWithoutExtension).ToArray();

        foreach (var kind in HealthRegistry.BuiltInKinds)
        {
            Assert.Contains(files, f => f!.StartsWith(kind.Kind.ToLowerInvariant() + "-", StringComparison.Ordinal));
        }
    }

    public static TheoryData<string, HealthCode[], HealthCode?> Worst_TestData() => new()
    {
        { "none", [], null },
        { "healthy and progressing", [HealthCode.Healthy, HealthCode.Progressing], HealthCode.Progressing },
        { "suspended is better than progressing", [HealthCode.Suspended, HealthCode.Progressing], HealthCode.Progressing },
        { "missing is worse than progressing", [HealthCode.Missing, HealthCode.Progressing], HealthCode.Missing },
        { "degraded is worse than missing", [HealthCode.Missing, HealthCode.Degraded], HealthCode.Degraded },
        { "unknown is worst", [HealthCode.Degraded, HealthCode.Unknown, HealthCode.Healthy], HealthCode.Unknown },
    };

    [Theory]
    [MemberData(nameof(Worst_TestData))]
    public void Worst_Statuses_IsMaximum(string caseName, HealthCode[] codes, HealthCode? expected)
    {
        var worst = HealthStatus.Worst(codes.Select(c => new HealthStatus(c)));

        Assert.True(worst?.Code == expected, caseName);
    }

    [Fact]
    public void Assess_UserOverride_ReplacesBuiltIn()
    {
        var registry = HealthRegistry.Default.WithOverride(new GroupKind("", "ConfigMap"), _ => HealthStatus.Degraded("custom"));

        Assert.Equal(HealthCode.Degraded, registry.Assess(Load("configmap-plain"))?.Code);
        Assert.Null(HealthRegistry.Default.Assess(Load("configmap-plain")));
        Assert.Equal(HealthCode.Progressing, registry.Assess(Load("pod-deleting"))?.Code);
    }

    private static System.Text.Json.Nodes.JsonObject Load(string fixture)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "Health", fixture + ".yaml");
        return ManifestReader.Read(File.ReadAllText(path), path).Single().ToJson();
    }
}
