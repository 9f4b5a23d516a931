using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Store;

/// <summary>
/// The stored objects of one group/resource, by namespace, each namespace's in key order: a list
/// of one namespace reads only that namespace's objects, and a list of all of them comes back in
/// etcd's order (by namespace, then name).
/// </summary>
internal sealed class ResourceObjects
{
    private readonly SortedDictionary<string, SortedDictionary<ObjectKey, JsonObject>> _byNamespace = new(EtcdOrder.Namespaces);

    public bool TryGet(ObjectKey key, out JsonObject obj)
    {
        obj = null!;
        return _byNamespace.TryGetValue(key.Namespace, out var objects) && objects.TryGetValue(key, out obj!);
    }

    public void Set(ObjectKey key, JsonObject obj)
    {
        if (!_byNamespace.TryGetValue(key.Namespace, out var objects))
            _byNamespace[key.Namespace] = objects = new SortedDictionary<ObjectKey, JsonObject>();
        objects[key] = obj;
    }

    public void Remove(ObjectKey key)
    {
        if (!_byNamespace.TryGetValue(key.Namespace, out var objects)) return;
        objects.Remove(key);
        if (objects.Count == 0) _byNamespace.Remove(key.Namespace);
    }

    /// <summary>Every object (in <paramref name="ns"/>, or in every namespace when null), in key order.</summary>
    public IEnumerable<KeyValuePair<ObjectKey, JsonObject>> In(string? ns) =>
        ns is null ? _byNamespace.Values.SelectMany(objects => objects)
        : _byNamespace.TryGetValue(ns, out var objects) ? objects : [];
}

/// <summary>
/// etcd keeps an object at /registry/&lt;resource&gt;/&lt;namespace&gt;/&lt;name&gt; and lists in that
/// key's byte order, so a namespace sorts as if followed by '/': "a-b" comes before "a".
/// </summary>
internal static class EtcdOrder
{
    public static IComparer<string> Namespaces { get; } = Comparer<string>.Create(CompareNamespaces);

    public static int CompareNamespaces(string a, string b)
    {
        var common = Math.Min(a.Length, b.Length);
        var c = a.AsSpan(0, common).SequenceCompareTo(b.AsSpan(0, common));
        if (c != 0 || a.Length == b.Length) return c;
        return a.Length < b.Length ? '/' - b[common] : a[common] - '/';
    }
}
