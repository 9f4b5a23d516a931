using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Engine.Model;

/// <summary>Small helpers over <see cref="JsonNode"/> shared by every stage.</summary>
internal static class Json
{
    public static string? GetString(JsonObject? obj, string name) =>
        obj is not null && obj[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static JsonObject? GetObject(JsonObject? obj, params string[] path)
    {
        JsonNode? node = obj;
        foreach (var p in path)
        {
            node = (node as JsonObject)?[p];
        }

        return node as JsonObject;
    }

    public static JsonArray? GetArray(JsonObject? obj, params string[] path)
    {
        JsonNode? node = obj;
        foreach (var p in path)
        {
            node = (node as JsonObject)?[p];
        }

        return node as JsonArray;
    }

    public static JsonNode? Get(JsonObject? obj, params string[] path)
    {
        JsonNode? node = obj;
        foreach (var p in path)
        {
            node = (node as JsonObject)?[p];
        }

        return node;
    }

    /// <summary>A string at a path, or null when absent or not a string.</summary>
    public static string? GetString(JsonObject? obj, string[] path) =>
        Get(obj, path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>An integer at a path (numbers, or strings holding digits), or null.</summary>
    public static long? GetInt(JsonObject? obj, params string[] path) => AsLong(Get(obj, path));

    public static long? AsLong(JsonNode? node)
    {
        if (node is not JsonValue v) return null;
        if (v.GetValueKind() == JsonValueKind.Number)
        {
            if (v.TryGetValue<long>(out var l)) return l;
            if (v.TryGetValue<int>(out var i)) return i;
            if (v.TryGetValue<double>(out var d) && Math.Abs(d % 1) < double.Epsilon) return (long)d;
            if (v.TryGetValue<decimal>(out var m) && m % 1 == 0) return (long)m;
            return long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : null;
        }

        return null;
    }

    public static bool? GetBool(JsonObject? obj, params string[] path) =>
        Get(obj, path) is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? v.GetValueKind() == JsonValueKind.True
            : null;

    /// <summary>Structural equality; numbers compare by value (1 equals 1.0).</summary>
    public static bool DeepEquals(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null) return a is null && b is null;
        return (a, b) switch
        {
            (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(p => y.TryGetPropertyValue(p.Key, out var o) && DeepEquals(p.Value, o)),
            (JsonArray x, JsonArray y) => x.Count == y.Count && x.Zip(y).All(t => DeepEquals(t.First, t.Second)),
            (JsonValue x, JsonValue y) => ValueEquals(x, y),
            _ => false,
        };
    }

    private static bool ValueEquals(JsonValue x, JsonValue y)
    {
        var kx = x.GetValueKind();
        var ky = y.GetValueKind();
        if (kx != ky) return false;
        if (kx == JsonValueKind.Number)
        {
            var sx = x.ToJsonString();
            var sy = y.ToJsonString();
            if (sx == sy) return true;
            return decimal.TryParse(sx, NumberStyles.Float, CultureInfo.InvariantCulture, out var dx)
                && decimal.TryParse(sy, NumberStyles.Float, CultureInfo.InvariantCulture, out var dy)
                ? dx == dy
                : double.Parse(sx, CultureInfo.InvariantCulture).Equals(double.Parse(sy, CultureInfo.InvariantCulture));
        }

        return kx is not JsonValueKind.String || x.GetValue<string>() == y.GetValue<string>();
    }

    /// <summary>
    /// The SHA-256 (lower-case hex) of the node's canonical form: compact JSON with object keys sorted
    /// ordinally at every level, as UTF-8, written into a buffer this thread reuses (no string, no
    /// per-key or per-value text on the way: a reconcile hashes every object).
    /// </summary>
    public static string CanonicalSha256(JsonNode? node) => Convert.ToHexStringLower(SHA256.HashData(WriteCanonical(node).WrittenSpan));

    /// <summary>
    /// As <see cref="CanonicalSha256(JsonNode?)"/> of a copy of <paramref name="obj"/> without the members
    /// <paramref name="leaveOut"/> names (a member at the top, of a top-level object, or of an object inside one), without copying it.
    /// </summary>
    public static string CanonicalSha256(JsonObject obj, Func<string?, string, bool> leaveOut) =>
        Convert.ToHexStringLower(SHA256.HashData(WriteCanonical(obj, leaveOut).WrittenSpan));

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private static ArrayBufferWriter<byte> WriteCanonical(JsonNode? node, Func<string?, string, bool>? leaveOut = null)
    {
        if (t_buffer is null || t_buffer.Capacity > 1 << 20) t_buffer = new ArrayBufferWriter<byte>(4096); // a huge object's buffer is not kept
        var buffer = t_buffer;
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        writer.Reset(buffer);
        WriteCanonical(node, writer, leaveOut, null, 0);
        writer.Flush();
        return buffer;
    }

    /// <param name="leaveOut">Given the parent's path (null at the top, then "metadata", then "metadata.annotations") and a member's name, whether to leave the member out; asked at the top three levels only.</param>
    private static void WriteCanonical(JsonNode? node, Utf8JsonWriter writer, Func<string?, string, bool>? leaveOut, string? parent, int depth)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject o:
                writer.WriteStartObject();
                var count = o.Count;
                var members = ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Rent(count);
                try
                {
                    var n = 0;
                    foreach (var member in o) members[n++] = member;
                    Array.Sort(members, 0, count, KeyOrder.Instance);
                    var asked = depth < 3 ? leaveOut : null;
                    for (var i = 0; i < count; i++)
                    {
                        var key = members[i].Key;
                        if (asked is not null && asked(parent, key)) continue;
                        writer.WritePropertyName(key);
                        var path = asked is null || members[i].Value is not JsonObject ? null : parent is null ? key : $"{parent}.{key}";
                        WriteCanonical(members[i].Value, writer, asked, path, depth + 1);
                    }
                }
                finally
                {
                    ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Return(members, clearArray: true);
                }

                writer.WriteEndObject();
                break;
            case JsonArray a:
                writer.WriteStartArray();
                foreach (var item in a) WriteCanonical(item, writer, null, null, depth + 1);
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private sealed class KeyOrder : IComparer<KeyValuePair<string, JsonNode?>>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(KeyValuePair<string, JsonNode?> x, KeyValuePair<string, JsonNode?> y) => string.CompareOrdinal(x.Key, y.Key);
    }

    /// <summary>Escapes one JSON pointer token (RFC 6901).</summary>
    public static string EscapePointer(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>Splits a JSON pointer into unescaped tokens; "" is the whole document.</summary>
    public static IReadOnlyList<string> ParsePointer(string pointer)
    {
        if (pointer.Length == 0) return [];
        if (pointer[0] != '/') throw new FormatException($"'{pointer}' is not a JSON pointer (it must start with '/')");
        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
    }

    /// <summary>Removes the node at a pointer from a (mutable, already cloned) tree; absent paths are fine.</summary>
    public static void RemoveAt(JsonNode root, IReadOnlyList<string> tokens)
    {
        if (tokens.Count == 0) return;
        JsonNode? node = root;
        for (var i = 0; i < tokens.Count - 1 && node is not null; i++)
        {
            node = Child(node, tokens[i]);
        }

        var last = tokens[^1];
        switch (node)
        {
            case JsonObject o:
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var idx) && idx < a.Count:
                a.RemoveAt(idx);
                break;
        }
    }

    /// <summary>The node at a pointer, or null when any step of it is absent.</summary>
    public static JsonNode? GetAt(JsonNode root, IReadOnlyList<string> tokens)
    {
        JsonNode? node = root;
        for (var i = 0; i < tokens.Count && node is not null; i++) node = Child(node, tokens[i]);
        return node;
    }

    /// <summary>Sets the node at a pointer in a (mutable) tree, creating missing objects on the way; false when an array index or a non-object is in the way.</summary>
    public static bool SetAt(JsonNode root, IReadOnlyList<string> tokens, JsonNode value)
    {
        if (tokens.Count == 0) return false;
        var node = root;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            var next = Child(node, tokens[i]);
            if (next is null)
            {
                if (node is not JsonObject parent) return false;
                next = new JsonObject();
                parent[tokens[i]] = next;
            }
            node = next;
        }

        switch (node)
        {
            case JsonObject o:
                o[tokens[^1]] = value;
                return true;
            case JsonArray a when int.TryParse(tokens[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var idx) && idx < a.Count:
                a[idx] = value;
                return true;
            default:
                return false;
        }
    }

    private static JsonNode? Child(JsonNode node, string token) => node switch
    {
        JsonObject o => o[token],
        JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
        _ => null,
    };
}
