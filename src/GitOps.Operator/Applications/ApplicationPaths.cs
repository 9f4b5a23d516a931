namespace GitOps.Operator.Applications;

/// <summary>The REST paths of gitops.dev/v1alpha1 Applications (the one place they are spelled).</summary>
public static class ApplicationPaths
{
    public const string GroupVersion = "/apis/gitops.dev/v1alpha1";

    /// <summary>Applications in a namespace, or in every namespace when <paramref name="ns"/> is null.</summary>
    public static string Collection(string? ns) =>
        ns is null ? $"{GroupVersion}/applications" : $"{GroupVersion}/namespaces/{Uri.EscapeDataString(ns)}/applications";

    public static string Object(string ns, string name) => $"{Collection(ns)}/{Uri.EscapeDataString(name)}";

    public static string Status(string ns, string name) => $"{Object(ns, name)}/status";
}
