using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Engine.Plan;

namespace GitOps.Operator.Applications;

/// <summary>
/// One gitops.dev/v1alpha1 Application object as the operator reads it: the object, its parsed spec,
/// and its identity (the one every cache, queue, metric and tracking id uses).
/// </summary>
public sealed record Application(JsonObject Object, ApplicationSpec Spec)
{
    /// <summary>Parses the spec; a <see cref="System.Text.Json.JsonException"/> when it cannot be read.</summary>
    public static Application Parse(JsonObject obj) => new(obj, ApplicationSpec.Parse(obj));

    public string Namespace => (string?)Object["metadata"]?["namespace"] ?? "";
    public string Name => (string?)Object["metadata"]?["name"] ?? "";
    public AppIdentity Identity => new(Namespace, Name);
    public long Generation => (long?)Object["metadata"]?["generation"] ?? 0;
    public string? ResourceVersion => (string?)Object["metadata"]?["resourceVersion"];
    public bool IsDeleting => Object["metadata"]?["deletionTimestamp"] is not null;

    public IReadOnlyList<string> Finalizers =>
        [.. (Object["metadata"]?["finalizers"] as JsonArray ?? []).Select(f => (string?)f).OfType<string>()];

    public DateTimeOffset? CreatedAt =>
        DateTimeOffset.TryParse((string?)Object["metadata"]?["creationTimestamp"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    public string? Annotation(string name) => (string?)Object["metadata"]?["annotations"]?[name];

    /// <summary>Where objects without a namespace of their own go: spec.destination.namespace, else the Application's namespace.</summary>
    public string DestinationNamespace => Spec.Destination.Namespace.Length > 0 ? Spec.Destination.Namespace : Namespace;

    /// <summary>spec.dependsOn as identities (a dependency without a namespace is in this Application's).</summary>
    public IReadOnlyList<AppIdentity> Dependencies => DependenciesOf(Spec.DependsOn, Namespace);

    /// <summary>spec.dependsOn of an Application object, read without parsing the rest of its spec (for every watch event).</summary>
    public static IReadOnlyList<AppIdentity> DependenciesOf(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var ns = (string?)obj["metadata"]?["namespace"] ?? "";
        return [.. (obj["spec"]?["dependsOn"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(d => new AppIdentity(d["namespace"] is JsonValue v && v.TryGetValue<string>(out var n) && n.Length > 0 ? n : ns, d["name"] is JsonValue w && w.TryGetValue<string>(out var name) ? name : ""))
            .Where(d => d.Name.Length > 0)];
    }

    private static IReadOnlyList<AppIdentity> DependenciesOf(IReadOnlyList<DependencyRef> refs, string ns) =>
        [.. refs.Where(d => d.Name.Length > 0).Select(d => new AppIdentity(string.IsNullOrEmpty(d.Namespace) ? ns : d.Namespace, d.Name))];

    public override string ToString() => Identity.ToString();
}
