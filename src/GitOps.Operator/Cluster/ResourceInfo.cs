using System.Globalization;

namespace GitOps.Operator.Cluster;

/// <summary>A served resource: where objects of a kind live in the REST API.</summary>
public sealed record ResourceInfo(string Group, string Version, string Kind, string Plural, bool Namespaced)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    private string Prefix => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    /// <summary>The collection path (in a namespace, or cluster-wide when ns is null).</summary>
    public string CollectionPath(string? ns) =>
        Namespaced && !string.IsNullOrEmpty(ns) ? $"{Prefix}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}" : $"{Prefix}/{Plural}";

    public string ObjectPath(string? ns, string name) => $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Plural}.{Group}/{Version}");
}
