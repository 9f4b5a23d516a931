using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>The `kubectl get` columns of the built-in kinds the sandbox prints (Name comes first always).</summary>
public static class BuiltinColumns
{
    public static IReadOnlyList<PrinterColumn> For(ResourceType type) => (type.Group, type.Kind) switch
    {
        ("", "Namespace") => [new("Status", "string", ".status.phase"), PrinterColumn.Age],
        ("", "Secret") => [new("Type", "string", ".type"), PrinterColumn.Age],
        ("", "Service") => [new("Type", "string", ".spec.type"), new("Cluster-IP", "string", ".spec.clusterIP"), PrinterColumn.Age],
        ("apiextensions.k8s.io", "CustomResourceDefinition") => [new("Created At", "date", ".metadata.creationTimestamp")],
        _ => [PrinterColumn.Age],
    };
}
