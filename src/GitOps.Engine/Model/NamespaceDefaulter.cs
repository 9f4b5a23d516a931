using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Engine.Model;

/// <summary>A problem with one object that stops it from being used; <see cref="ToString"/> starts with the subject.</summary>
public sealed record ManifestIssue(ResourceKey Key, string Reason, string Message)
{
    public override string ToString() => $"{Key}: {Reason}: {Message}";
}

/// <summary>The defaulted manifests plus any object whose scope could not be decided.</summary>
public sealed record NamespaceDefaultingResult(IReadOnlyList<Manifest> Manifests, IReadOnlyList<ManifestIssue> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var m in Manifests) sb.Append(m.Key).Append('\n');
        foreach (var e in Errors) sb.Append("error ").Append(e).Append('\n');
        return sb.ToString().TrimEnd('\n');
    }
}

/// <summary>
/// Sets <c>destination.namespace</c> on namespaced objects that name none and removes the namespace
/// from cluster-scoped ones (as <c>kubectl apply -n</c> would). Scope comes from a
/// CustomResourceDefinition in the same set first (its <c>spec.scope</c>), then from discovery.
/// </summary>
public static class NamespaceDefaulter
{
    public const string UnknownKindReason = "UnknownKind";

    private static readonly GroupKind s_crd = new("apiextensions.k8s.io", "CustomResourceDefinition");

    /// <param name="manifests">The rendered objects.</param>
    /// <param name="defaultNamespace">The Application's destination namespace.</param>
    /// <param name="isNamespaced">Discovery: true/false for a known kind, null when the cluster does not serve it.</param>
    public static NamespaceDefaultingResult Apply(IEnumerable<Manifest> manifests, string defaultNamespace, Func<GroupKind, bool?> isNamespaced)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        ArgumentNullException.ThrowIfNull(isNamespaced);
        var list = manifests.ToList();
        var crdScopes = new Dictionary<GroupKind, bool>();
        foreach (var m in list.Where(m => m.GroupKind == s_crd))
        {
            var group = m.Get("spec", "group") as JsonValue;
            var kind = m.Get("spec", "names", "kind") as JsonValue;
            var scope = m.Get("spec", "scope") as JsonValue;
            if (group is not null && kind is not null)
            {
                crdScopes[new GroupKind(group.ToString(), kind.ToString())] = scope?.ToString() != "Cluster";
            }
        }

        var result = new List<Manifest>(list.Count);
        var errors = new List<ManifestIssue>();
        foreach (var m in list)
        {
            bool? namespaced = crdScopes.TryGetValue(m.GroupKind, out var s) ? s : isNamespaced(m.GroupKind);
            switch (namespaced)
            {
                case null:
                    errors.Add(new ManifestIssue(m.Key, UnknownKindReason, $"the cluster does not serve {m.GroupKind} and no CustomResourceDefinition in the source defines it"));
                    result.Add(m);
                    break;
                case true when m.Namespace.Length == 0:
                    result.Add(m.With(o => ((JsonObject)o["metadata"]!)["namespace"] = defaultNamespace));
                    break;
                case false when m.Namespace.Length > 0:
                    result.Add(m.With(o => ((JsonObject)o["metadata"]!).Remove("namespace")));
                    break;
                default:
                    result.Add(m);
                    break;
            }
        }

        return new NamespaceDefaultingResult(result, errors);
    }
}
