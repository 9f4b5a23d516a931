using System.Text.Json.Nodes;

namespace GitOps.Engine.Model;

/// <summary>
/// The one identity of an object: the key of every dictionary in the Engine. The namespace is ""
/// for cluster-scoped objects. <see cref="ToString"/> is the only human spelling of a key.
/// </summary>
public readonly record struct ResourceKey(string Group, string Kind, string Namespace, string Name)
    : IComparable<ResourceKey>
{
    /// <summary>The key's group and kind.</summary>
    public GroupKind GroupKind => new(Group, Kind);

    /// <summary>True when the key has no namespace.</summary>
    public bool IsClusterScoped => Namespace.Length == 0;

    /// <summary>The key of an unstructured object (apiVersion, kind, metadata.namespace, metadata.name).</summary>
    public static ResourceKey Of(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var apiVersion = Json.GetString(obj, "apiVersion") ?? "";
        var metadata = obj["metadata"] as JsonObject;
        return new ResourceKey(
            GroupKind.GroupOf(apiVersion),
            Json.GetString(obj, "kind") ?? "",
            metadata is null ? "" : Json.GetString(metadata, "namespace") ?? "",
            metadata is null ? "" : Json.GetString(metadata, "name") ?? "");
    }

    /// <summary><c>Kind/ns/name</c>, or <c>Kind/name</c> for a cluster-scoped object.</summary>
    public override string ToString() => IsClusterScoped ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";

    /// <summary>The form kept in <c>status.inventory</c>: <c>&lt;group&gt;/&lt;kind&gt;/&lt;namespace&gt;/&lt;name&gt;</c>.</summary>
    public string ToInventoryString() => $"{Group}/{Kind}/{Namespace}/{Name}";

    /// <summary>Reads the inventory form; throws <see cref="FormatException"/> unless it has exactly four parts and a kind and a name.</summary>
    public static ResourceKey ParseInventory(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 4 || parts[1].Length == 0 || parts[3].Length == 0)
        {
            throw new FormatException($"'{text}' is not an inventory entry of the form <group>/<kind>/<namespace>/<name>");
        }

        return new ResourceKey(parts[0], parts[1], parts[2], parts[3]);
    }

    /// <summary>Ordinal order by group, kind, namespace, name: the order of an inventory.</summary>
    public int CompareTo(ResourceKey other)
    {
        var c = string.CompareOrdinal(Group, other.Group);
        if (c != 0) return c;
        c = string.CompareOrdinal(Kind, other.Kind);
        if (c != 0) return c;
        c = string.CompareOrdinal(Namespace, other.Namespace);
        return c != 0 ? c : string.CompareOrdinal(Name, other.Name);
    }
}
