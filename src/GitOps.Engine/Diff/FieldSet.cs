using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Engine.Model;

namespace GitOps.Engine.Diff;

/// <summary>
/// A parsed <c>managedFields[].fieldsV1</c> tree. Keys are <c>f:&lt;field&gt;</c> (a map field),
/// <c>k:{json}</c> (the list item whose key fields equal the json), <c>v:&lt;json&gt;</c> (the set item
/// equal to the json), <c>i:&lt;n&gt;</c> (a list index), and <c>.</c> (the element itself is owned).
/// A node with no children is a leaf: the whole value is owned.
/// </summary>
internal sealed class FieldSet
{
    private readonly Dictionary<string, (PathElement Element, FieldSet Child)> _children = new(StringComparer.Ordinal);

    public bool Self { get; private set; }

    public bool IsLeaf => _children.Count == 0;

    public bool IsEmpty => !Self && _children.Count == 0;

    public IEnumerable<(PathElement Element, FieldSet Child)> Children => _children.Values;

    public static FieldSet Empty() => new();

    /// <summary>Parses a fieldsV1 object; throws <see cref="FormatException"/> on an unknown key prefix.</summary>
    public static FieldSet Parse(JsonObject fieldsV1)
    {
        var set = new FieldSet();
        foreach (var (key, value) in fieldsV1)
        {
            if (key == ".")
            {
                set.Self = true;
                continue;
            }

            var element = PathElement.Parse(key);
            var child = value is JsonObject o ? Parse(o) : new FieldSet();
            set.Add(key, element, child);
        }

        return set;
    }

    /// <summary>The fields owned by the given managers in an object's <c>metadata.managedFields</c>.</summary>
    public static FieldSet OwnedBy(JsonObject obj, Func<JsonObject, bool> entryMatches)
    {
        var set = new FieldSet();
        if (Json.GetArray(obj, "metadata", "managedFields") is not { } entries) return set;
        foreach (var entry in entries.OfType<JsonObject>())
        {
            if (!entryMatches(entry) || entry["fieldsV1"] is not JsonObject fields) continue;
            set.UnionWith(Parse(fields));
        }

        return set;
    }

    public void UnionWith(FieldSet other)
    {
        Self |= other.Self;
        foreach (var (key, (element, child)) in other._children)
        {
            if (_children.TryGetValue(key, out var mine)) mine.Child.UnionWith(child);
            else _children[key] = (element, child.Copy());
        }
    }

    private FieldSet Copy()
    {
        var c = new FieldSet { Self = Self };
        c.UnionWith(this);
        return c;
    }

    private void Add(string key, PathElement element, FieldSet child) => _children[key] = (element, child);

    /// <summary>Removes every owned value from <paramref name="target"/> (edited in place). An owned element (leaf or <c>.</c>) goes as a whole.</summary>
    public void RemoveFrom(JsonNode? target)
    {
        foreach (var (element, child) in Children)
        {
            switch (target)
            {
                case JsonObject obj when element.Kind == PathElementKind.Field:
                    if (!obj.TryGetPropertyValue(element.Field!, out var value)) break;
                    if (child.IsLeaf || child.Self) obj.Remove(element.Field!);
                    else child.RemoveFrom(value);
                    break;
                case JsonArray arr when element.Kind != PathElementKind.Field:
                    for (var i = arr.Count - 1; i >= 0; i--)
                    {
                        if (!element.Matches(arr[i], i)) continue;
                        if (child.IsLeaf || child.Self) arr.RemoveAt(i);
                        else child.RemoveFrom(arr[i]);
                    }

                    break;
            }
        }
    }

    /// <summary>A copy of only the owned parts of <paramref name="source"/>: the comparison scope "fields we own".</summary>
    public JsonNode? Project(JsonNode? source)
    {
        if (IsLeaf) return source?.DeepClone();
        switch (source)
        {
            case JsonObject obj:
                var o = new JsonObject();
                foreach (var (element, child) in Children)
                {
                    if (element.Kind == PathElementKind.Field && obj.TryGetPropertyValue(element.Field!, out var v))
                    {
                        o[element.Field!] = child.Project(v);
                    }
                }

                return o;
            case JsonArray arr:
                var a = new JsonArray();
                for (var i = 0; i < arr.Count; i++)
                {
                    foreach (var (element, child) in Children)
                    {
                        if (element.Kind != PathElementKind.Field && element.Matches(arr[i], i))
                        {
                            a.Add(child.Project(arr[i]));
                            break;
                        }
                    }
                }

                return a;
            default:
                return source?.DeepClone();
        }
    }
}

internal enum PathElementKind
{
    Field,
    Key,
    Value,
    Index,
}

/// <summary>One step of a fieldsV1 path.</summary>
internal sealed record PathElement(PathElementKind Kind, string? Field, JsonNode? Json, int Index)
{
    public static PathElement Parse(string key)
    {
        if (key.Length < 2 || key[1] != ':') throw new FormatException($"'{key}' is not a fieldsV1 path element");
        var rest = key[2..];
        try
        {
            return key[0] switch
            {
                'f' => new PathElement(PathElementKind.Field, rest, null, 0),
                'k' => new PathElement(PathElementKind.Key, null, JsonNode.Parse(rest) as JsonObject ?? throw new FormatException($"'{key}': k: needs a JSON object"), 0),
                'v' => new PathElement(PathElementKind.Value, null, JsonNode.Parse(rest), 0),
                'i' => new PathElement(PathElementKind.Index, null, null, int.Parse(rest, NumberStyles.None, CultureInfo.InvariantCulture)),
                _ => throw new FormatException($"'{key}' has an unknown fieldsV1 prefix"),
            };
        }
        catch (JsonException e)
        {
            throw new FormatException($"'{key}' holds invalid JSON: {e.Message}", e);
        }
    }

    /// <summary>Whether the list item <paramref name="item"/> at <paramref name="index"/> is this element.</summary>
    public bool Matches(JsonNode? item, int index) => Kind switch
    {
        PathElementKind.Index => index == Index,
        PathElementKind.Value => Model.Json.DeepEquals(item, Json),
        PathElementKind.Key => item is JsonObject o && ((JsonObject)Json!).All(p => o.TryGetPropertyValue(p.Key, out var v) && Model.Json.DeepEquals(v, p.Value)),
        _ => false,
    };
}
