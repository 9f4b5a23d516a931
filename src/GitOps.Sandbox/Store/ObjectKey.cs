namespace GitOps.Sandbox.Store;

/// <summary>Where an object is stored: its group/resource, namespace ("" when cluster-scoped) and name.</summary>
public readonly record struct ObjectKey(GroupResource Resource, string Namespace, string Name) : IComparable<ObjectKey>
{
    // etcd keeps keys as /registry/<resource>/<namespace>/<name>; lists come back in that order.
    public int CompareTo(ObjectKey other)
    {
        var ns = EtcdOrder.CompareNamespaces(Namespace, other.Namespace);
        return ns != 0 ? ns : string.CompareOrdinal(Name, other.Name);
    }

    public override string ToString() => Namespace.Length == 0 ? $"{Resource.Resource}/{Name}" : $"{Resource.Resource}/{Namespace}/{Name}";
}
