using GitOps.Testing;
using k8s;

namespace GitOps.Sandbox.Tests.Infrastructure;

/// <summary>
/// The ConfigMaps a real cluster's controllers put into every namespace on their own:
/// kube-controller-manager's root CA bundle, and whatever a distribution publishes beside it
/// (OpenShift's service CA bundle, say). Tests that count a namespace's ConfigMaps leave these out:
/// they are listed after the namespace is made and before the test writes, once all of them are
/// there. Which names to wait for is read from the cluster itself (see <see cref="PublishedEverywhereAsync"/>),
/// not assumed. The sandbox runs no such controller, so nothing is left out there.
/// </summary>
internal static class ClusterConfigMaps
{
    /// <summary>Namespaces every cluster has from its start, long since published into.</summary>
    private static readonly string[] SystemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>How long a cluster may take to publish into a new namespace; past it, the test goes on with what is there.</summary>
    private static readonly TimeSpan PublishDeadline = TimeSpan.FromSeconds(15);

    public static IReadOnlySet<string> None { get; } = new HashSet<string>();

    /// <summary>
    /// The names the cluster's controllers publish into every namespace: those each of its own
    /// namespaces holds (what a user or an installer put into one of them is not in all).
    /// </summary>
    public static async Task<IReadOnlySet<string>> PublishedEverywhereAsync(Kubernetes client)
    {
        HashSet<string>? common = null;
        foreach (var ns in SystemNamespaces)
        {
            var names = (await client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items.Select(i => i.Metadata.Name);
            if (common is null) common = names.ToHashSet(StringComparer.Ordinal);
            else common.IntersectWith(names);
        }
        return common ?? None;
    }

    /// <summary>The ConfigMaps in namespace <paramref name="ns"/> once it holds all of <paramref name="published"/> (past the deadline, what it holds then).</summary>
    public static async Task<IReadOnlySet<string>> ListOncePublishedAsync(Kubernetes client, string ns, IReadOnlySet<string> published)
    {
        var names = None;
        await Eventually.TryAsync(async () =>
        {
            var list = await client.CoreV1.ListNamespacedConfigMapAsync(ns);
            names = list.Items.Select(i => i.Metadata.Name).ToHashSet(StringComparer.Ordinal);
            return published.IsSubsetOf(names);
        }, PublishDeadline);
        return names;
    }
}
