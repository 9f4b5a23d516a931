using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Patching;

/// <summary>
/// RFC 6902 JSON Patch (application/json-patch+json), as kube-apiserver applies it through
/// evanphx/json-patch v4: negative array indices count from the end, "-" appends, replace on a
/// missing object member adds it, test of a missing member against null succeeds.
/// Hand-written because no well-kept System.Text.Json RFC 6902 package for JsonNode is served here
/// (Microsoft.AspNetCore.JsonPatch.SystemTextJson targets typed models, not JsonNode documents).
/// </summary>
public static class JsonPatch
{
    /// <summary>
    /// Applies <paramref name="patch"/> (a JSON array of operations) to a copy of <paramref name="document"/>.
    /// A JSON null patch is an empty patch. Throws <see cref="PatchException"/>: BadRequest (400) when the
    /// patch is not an array of objects, Invalid (422, generic message) when an operation does not apply.
    /// </summary>
    public static JsonNode? Apply(JsonNode? document, JsonNode? patch)
    {
        var operations = Decode(patch);
        var root = new JsonArray(JsonValues.Clone(document));
        foreach (var operation in operations)
            Run(root, operation);
        return JsonValues.Clone(root[0]);
    }

    private static List<JsonObject?> Decode(JsonNode? patch)
    {
        if (patch is null) return [];
        if (patch is not JsonArray array)
            throw PatchException.BadRequest($"json: cannot unmarshal {JsonValues.GoJsonTypeName(patch)} into Go value of type jsonpatch.Patch");
        var operations = new List<JsonObject?>();
        foreach (var item in array)
        {
            if (item is not null and not JsonObject)
                throw PatchException.BadRequest($"json: cannot unmarshal {JsonValues.GoJsonTypeName(item)} into Go value of type jsonpatch.Operation");
            operations.Add(item as JsonObject);
        }
        return operations;
    }

    private static void Run(JsonArray root, JsonObject? operation)
    {
        var kind = operation?["op"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "unknown";
        switch (kind)
        {
            case "add": Add(root, Path(operation!, "path"), Value(operation!)); break;
            case "remove": Remove(root, Path(operation!, "path"), "remove"); break;
            case "replace": Replace(root, Path(operation!, "path"), Value(operation!)); break;
            case "move": Move(root, operation!); break;
            case "copy": Copy(root, operation!); break;
            case "test": Test(root, operation!); break;
            default: throw PatchException.Rejected($"Unexpected kind: {kind}");
        }
    }

    private static string Path(JsonObject operation, string field)
    {
        if (!operation.TryGetPropertyValue(field, out var node) || node is null)
            throw PatchException.Rejected($"operation missing {field} field");
        if (node.GetValueKind() != JsonValueKind.String)
            throw PatchException.Rejected($"operation, {field} field is not a string");
        return node.GetValue<string>();
    }

    private static JsonNode? Value(JsonObject operation) => JsonValues.Clone(operation["value"]);

    /// <summary>The container of the last token and that token; null when a parent is missing.</summary>
    private static (JsonNode? Container, string Key) Find(JsonArray root, string path, string op)
    {
        var tokens = JsonPointer.Parse(path);
        if (tokens.Length == 0) throw PatchException.Rejected($"{op} operation does not apply: doc is missing path: \"{path}\"");
        JsonNode? current = root[0];
        for (var i = 0; i < tokens.Length - 1; i++)
        {
            current = current switch
            {
                JsonObject o => o.TryGetPropertyValue(tokens[i], out var child) ? child : null,
                JsonArray a => TryIndex(a, tokens[i], out var index) ? a[index] : null,
                _ => null,
            };
            if (current is null) break;
        }
        if (current is not (JsonObject or JsonArray))
            throw PatchException.Rejected($"{op} operation does not apply: doc is missing path: \"{path}\"");
        return (current, tokens[^1]);
    }

    private static bool TryIndex(JsonArray array, string token, out int index)
    {
        if (!JsonPointer.TryParseIndex(token, out index)) return false;
        if (index < 0)
        {
            if (index < -array.Count) return false;
            index += array.Count;
        }
        return index < array.Count;
    }

    private static int ExistingIndex(JsonArray array, string token)
    {
        if (!JsonPointer.TryParseIndex(token, out _)) throw PatchException.Rejected($"value was not a proper array index: '{token}'");
        if (!TryIndex(array, token, out var index)) throw PatchException.Rejected($"Unable to access invalid index: {token}");
        return index;
    }

    private static void Add(JsonArray root, string path, JsonNode? value)
    {
        var (container, key) = Find(root, path, "add");
        if (container is JsonObject o)
        {
            o[key] = value;
            return;
        }
        var array = (JsonArray)container!;
        if (key == "-")
        {
            array.Add(value);
            return;
        }
        if (!JsonPointer.TryParseIndex(key, out var index)) throw PatchException.Rejected($"value was not a proper array index: '{key}'");
        if (index > array.Count) throw PatchException.Rejected($"Unable to access invalid index: {index}");
        if (index < 0)
        {
            if (index < -array.Count) throw PatchException.Rejected($"Unable to access invalid index: {index}");
            index += array.Count;
        }
        array.Insert(index, value);
    }

    private static JsonNode? Remove(JsonArray root, string path, string op)
    {
        var (container, key) = Find(root, path, op);
        if (container is JsonObject o)
        {
            if (!o.TryGetPropertyValue(key, out var existing))
                throw PatchException.Rejected($"Unable to remove nonexistent key: {key}: missing value");
            o.Remove(key);
            return existing;
        }
        var array = (JsonArray)container!;
        var index = ExistingIndex(array, key);
        var removed = array[index];
        array.RemoveAt(index);
        return removed;
    }

    private static void Replace(JsonArray root, string path, JsonNode? value)
    {
        var (container, key) = Find(root, path, "replace");
        if (container is JsonObject o)
        {
            // evanphx/json-patch v4 does not check that the member exists: replace then adds it.
            o[key] = value;
            return;
        }
        var array = (JsonArray)container!;
        array[ExistingIndex(array, key)] = value;
    }

    private static JsonNode? Get(JsonArray root, string path, string op, out bool found)
    {
        var (container, key) = Find(root, path, op);
        if (container is JsonObject o)
        {
            found = o.TryGetPropertyValue(key, out var value);
            return value;
        }
        var array = (JsonArray)container!;
        var index = ExistingIndex(array, key);
        found = true;
        return array[index];
    }

    private static void Move(JsonArray root, JsonObject operation)
    {
        var from = Path(operation, "from");
        var path = Path(operation, "path");
        var value = Remove(root, from, "move");
        value = JsonValues.Clone(value);
        Add(root, path, value);
    }

    private static void Copy(JsonArray root, JsonObject operation)
    {
        var from = Path(operation, "from");
        var path = Path(operation, "path");
        var value = Get(root, from, "copy", out _);
        Add(root, path, JsonValues.Clone(value));
    }

    private static void Test(JsonArray root, JsonObject operation)
    {
        var path = Path(operation, "path");
        var expected = operation["value"];
        JsonNode? actual;
        if (JsonPointer.Parse(path).Length == 0)
            actual = root[0];
        else
            actual = Get(root, path, "test", out _);
        if (!JsonValues.DeepEquals(actual, expected))
            throw PatchException.Rejected($"testing value {path} failed: test failed");
    }
}
