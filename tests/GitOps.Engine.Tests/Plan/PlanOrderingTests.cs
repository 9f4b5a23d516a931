using GitOps.Engine.Model;
using GitOps.Engine.Plan;

namespace GitOps.Engine.Tests.Plan;

/// <summary>One unsorted input, one expected sorted output (house rule 4).</summary>
public class PlanOrderingTests
{
    private static SyncTask Apply(string apiVersion, string kind, string ns, string name, int wave = 0, string extra = "")
    {
        var meta = ns.Length == 0 ? $"{{name: {name}}}" : $"{{name: {name}, namespace: {ns}}}";
        var m = TestJson.Man($"apiVersion: {apiVersion}\nkind: {kind}\nmetadata: {meta}\n{extra}");
        return new SyncTask(m.Key, SyncAction.Apply, PlanReasons.Missing, "", wave, SyncPhase.Sync, m, null);
    }

    private static SyncTask Prune(string group, string kind, string ns, string name, int wave = 0) =>
        new(new ResourceKey(group, kind, ns, name), SyncAction.Prune, PlanReasons.Pruned, "", wave, SyncPhase.Sync, null, null);

    private static IEnumerable<SyncTask> Unsorted() =>
    [
        Prune("", "Namespace", "", "old-ns"),
        Apply("apps/v1", "Deployment", "shop", "web"),
        Apply("example.com/v1", "Widget", "shop", "w1", wave: -1),
        Apply("v1", "ConfigMap", "shop", "b-config", wave: 1),
        Prune("apps", "Deployment", "old-ns", "legacy"),
        Apply("v1", "Service", "shop", "web"),
        Apply("batch/v1", "Job", "shop", "migrate", wave: -5) with { Phase = SyncPhase.PreSync },
        Apply("v1", "Namespace", "", "shop", wave: 2),
        Apply("example.com/v1", "Gizmo", "shop", "g"),
        Apply("v1", "Secret", "shop", "db"),
        Apply("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "widgets.example.com", wave: 3, extra: "spec: {group: example.com, names: {kind: Widget}}"),
        Apply("v1", "ConfigMap", "shop", "a-config", wave: 1),
        Apply("v1", "ServiceAccount", "shop", "web"),
        Apply("rbac.authorization.k8s.io/v1", "ClusterRole", "", "reader"),
        Apply("rbac.authorization.k8s.io/v1", "RoleBinding", "shop", "reader"),
        Apply("networking.k8s.io/v1", "Ingress", "shop", "web"),
        Apply("v1", "PersistentVolumeClaim", "shop", "data"),
        Apply("apps/v1", "Deployment", "shop", "api"),
        Apply("v1", "ConfigMap", "shop", "late", wave: 10) with { Phase = SyncPhase.PostSync },
    ];

    private static readonly string[] s_expected =
    [
        // The Namespace (wave 2) moves to the earliest task in it: the PreSync Job.
        "PreSync -5 Apply Namespace/shop",
        "PreSync -5 Apply Job/shop/migrate",
        // The CRD (wave 3) moves to its custom resource's wave.
        "Sync -1 Apply CustomResourceDefinition/widgets.example.com",
        "Sync -1 Apply Widget/shop/w1",
        "Sync 0 Apply ServiceAccount/shop/web",
        "Sync 0 Apply ClusterRole/reader",
        "Sync 0 Apply RoleBinding/shop/reader",
        "Sync 0 Apply Secret/shop/db",
        "Sync 0 Apply PersistentVolumeClaim/shop/data",
        "Sync 0 Apply Service/shop/web",
        "Sync 0 Apply Deployment/shop/api",
        "Sync 0 Apply Deployment/shop/web",
        "Sync 0 Apply Ingress/shop/web",
        "Sync 0 Apply Gizmo/shop/g",
        "Sync 0 Prune Deployment/old-ns/legacy",
        "Sync 0 Prune Namespace/old-ns",
        "Sync 1 Apply ConfigMap/shop/a-config",
        "Sync 1 Apply ConfigMap/shop/b-config",
        "PostSync 10 Apply ConfigMap/shop/late",
    ];

    [Fact]
    public void SortWithDependencies_UnsortedFixture_MatchesExpectedOrder()
    {
        var sorted = SyncTaskOrder.SortWithDependencies(Unsorted());

        var actual = sorted.Select(t => $"{t.Phase} {t.Wave} {t.Action} {t.Key}").ToArray();
        Assert.Equal(s_expected, actual);
    }

    public static TheoryData<string, string, int> KindRank_TestData() => new()
    {
        { "Namespace first", "Namespace", 0 },
        { "unknown kinds last", "Gizmo", KindOrder.UnknownRank },
    };

    [Theory]
    [MemberData(nameof(KindRank_TestData))]
    public void Rank_Kind_FromSingleTable(string caseName, string kind, int expected)
    {
        Assert.True(KindOrder.Rank(kind) == expected, caseName);
    }

    public static TheoryData<string, string[]> RankOrder_TestData() => new()
    {
        { "brief order", ["Namespace", "CustomResourceDefinition", "ServiceAccount", "ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding", "ConfigMap", "Secret", "PersistentVolumeClaim", "Service", "Deployment", "StatefulSet", "Job", "Ingress", "ValidatingWebhookConfiguration", "SomethingElse"] },
    };

    [Theory]
    [MemberData(nameof(RankOrder_TestData))]
    public void Rank_KnownKinds_Ascending(string caseName, string[] kinds)
    {
        var ranks = kinds.Select(KindOrder.Rank).ToArray();
        Assert.True(ranks.SequenceEqual(ranks.Order()), $"{caseName}: {string.Join(",", ranks)}");
    }
}
