using System.Text.Json;
using System.Text.Json.Nodes;
using static GitOps.Sandbox.Schema.GoStructs;

namespace GitOps.Sandbox.Schema;

/// <summary>
/// A built-in object as kube-apiserver stores and returns it: decoded into its Go struct and
/// encoded again with encoding/json, for the struct layouts <see cref="GoStructs"/> lists. A
/// non-pointer struct is always written (<c>status: {}</c>, a template's <c>metadata</c>); a zero
/// metav1.Time is written <c>null</c> (<c>creationTimestamp: null</c>, a condition's times); a value
/// field without omitempty is written even when zero (<c>replicas: 0</c>) and a nil slice without
/// omitempty as <c>null</c>; a zero value field with omitempty disappears (<c>readyReplicas: 0</c>),
/// and so does a JSON <c>null</c> given for a pointer or an omitempty field.
/// </summary>
public static class GoEncoding
{
    /// <summary>Encodes <paramref name="obj"/> in place as the Go struct of its kind; kinds without a layout are left as they are.</summary>
    public static void Encode(JsonObject obj, string group, string version, string kind)
    {
        if (Root(group, version, kind) is { } root) EncodeStruct(obj, root, dropZeros: true);
    }

    /// <summary>
    /// Adds what encoding the Go zero value of the kind writes (structs, null times, zero counts)
    /// where <paramref name="obj"/> has nothing, without removing anything: what field management
    /// compares an object with, as structured-merge-diff sees the typed object.
    /// </summary>
    public static void FillZeros(JsonObject obj, string group, string version, string kind)
    {
        if (Root(group, version, kind) is { } root) EncodeStruct(obj, root, dropZeros: false);
    }

    /// <summary>
    /// The empty lists and maps of <paramref name="obj"/> that encoding keeps because their fields
    /// have no omitempty (a CRD's <c>conditions: []</c>): empty collections are dropped elsewhere by
    /// schema alone (<c>GoOmitEmpty</c>), which must leave these.
    /// </summary>
    public static IReadOnlySet<JsonNode> KeptEmptyCollections(JsonObject obj, string group, string version, string kind)
    {
        var kept = new HashSet<JsonNode>(ReferenceEqualityComparer.Instance);
        if (Root(group, version, kind) is { } root) CollectKept(obj, root, kept);
        return kept;
    }

    private static void CollectKept(JsonObject obj, Struct layout, HashSet<JsonNode> kept)
    {
        foreach (var field in layout.Fields)
        {
            var value = obj[field.Name];
            if (field.Kind is FieldKind.Slice or FieldKind.Map && !field.OmitEmpty && value is (JsonArray { Count: 0 } or JsonObject { Count: 0 }) and { } empty)
                kept.Add(empty);
            if (Find(field.Type) is not { } child) continue;
            if (value is JsonObject o && field.Kind is FieldKind.Struct or FieldKind.Pointer) CollectKept(o, child, kept);
            if (value is JsonArray items && field.Kind == FieldKind.Slice)
                foreach (var item in items.OfType<JsonObject>()) CollectKept(item, child, kept);
        }
    }

    private static void EncodeStruct(JsonObject obj, Struct layout, bool dropZeros)
    {
        foreach (var field in layout.Fields)
        {
            var present = obj.TryGetPropertyValue(field.Name, out var value);
            switch (field.Kind)
            {
                case FieldKind.Int or FieldKind.String or FieldKind.Bool:
                    var zero = value is null || IsZero(value, field.Kind);
                    if (field.OmitEmpty) { if (dropZeros && present && zero) obj.Remove(field.Name); }
                    else if (value is null) obj[field.Name] = Zero(field.Kind);
                    break;
                case FieldKind.Time:
                    if (!present || IsZeroTime(value)) obj[field.Name] = null;
                    break;
                case FieldKind.Struct:
                    if (value is null) obj[field.Name] = value = new JsonObject();
                    if (value is JsonObject child && Find(field.Type) is { } structLayout) EncodeStruct(child, structLayout, dropZeros);
                    break;
                case FieldKind.Pointer:
                    if (present && value is null && dropZeros) obj.Remove(field.Name);
                    else if (value is JsonObject pointee && Find(field.Type) is { } pointeeLayout) EncodeStruct(pointee, pointeeLayout, dropZeros);
                    break;
                case FieldKind.Slice or FieldKind.Map:
                    var empty = value is null || value is JsonArray { Count: 0 } || value is JsonObject { Count: 0 };
                    if (field.OmitEmpty)
                    {
                        if (dropZeros && present && empty) obj.Remove(field.Name);
                    }
                    else if (!present) obj[field.Name] = null;
                    if (value is JsonArray items && Find(field.Type) is { } itemLayout)
                        foreach (var item in items.OfType<JsonObject>()) EncodeStruct(item, itemLayout, dropZeros);
                    break;
            }
        }
    }

    private static bool IsZero(JsonNode node, FieldKind kind) => node is JsonValue v && (kind, v.GetValueKind()) switch
    {
        (FieldKind.Int, JsonValueKind.Number) => v.ToJsonString() is "0" or "0.0" or "-0",
        (FieldKind.String, JsonValueKind.String) => v.GetValue<string>().Length == 0,
        (FieldKind.Bool, JsonValueKind.False) => true,
        _ => false,
    };

    private static JsonNode Zero(FieldKind kind) => kind switch
    {
        FieldKind.Int => JsonValue.Create(0),
        FieldKind.String => JsonValue.Create(""),
        _ => JsonValue.Create(false),
    };

    /// <summary>metav1.Time's zero (which encodes as null) written out as a time.</summary>
    private static bool IsZeroTime(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().StartsWith("0001-01-01T00:00:00", StringComparison.Ordinal);
}
