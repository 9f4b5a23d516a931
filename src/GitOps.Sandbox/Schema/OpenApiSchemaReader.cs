using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Schema;

/// <summary>
/// Turns OpenAPI v3 schema JSON (component schemas of kube-apiserver's documents, or a CRD's
/// openAPIV3Schema) into <see cref="SchemaNode"/> trees. $ref targets are built once and shared,
/// so recursive schemas terminate.
/// </summary>
public sealed class OpenApiSchemaReader(JsonObject? components, bool readDefaults)
{
    private readonly Dictionary<string, SchemaNode> _byRef = new(StringComparer.Ordinal);

    public SchemaNode ReadRef(string name)
    {
        if (_byRef.TryGetValue(name, out var known)) return known;
        var node = new SchemaNode();
        _byRef[name] = node;
        if (components?[name] is JsonObject definition) Fill(node, definition);
        else node.PreserveUnknownFields = true;
        return node;
    }

    public SchemaNode Read(JsonObject schema)
    {
        var node = new SchemaNode();
        Fill(node, schema);
        return node;
    }

    private SchemaNode ReadAny(JsonNode? schema) => schema switch
    {
        JsonObject o when RefOf(o) is { } r && o.Count == 1 => ReadRef(r),
        JsonObject o when WrappedRef(o) is { } r => ReadRef(r),
        JsonObject o => Read(o),
        _ => SchemaNode.Unknown,
    };

    // kube-openapi's allOf wrapper that only adds a description (or a default we do not read) is the
    // referenced schema itself. Sharing its node, rather than copying it, keeps recursive schemas
    // (JSONSchemaProps) whole: a copy taken while the target is still being read would miss fields.
    private string? WrappedRef(JsonObject o) =>
        o["allOf"] is JsonArray { Count: 1 } allOf && allOf[0] is JsonObject only && only.Count == 1 && RefOf(only) is { } r
        && o.All(p => p.Key is "allOf" or "description" || (p.Key == "default" && !readDefaults)) ? r : null;

    private static string? RefOf(JsonObject o) =>
        o["$ref"]?.GetValue<string>() is { } r ? r[(r.LastIndexOf('/') + 1)..] : null;

    private void Fill(SchemaNode node, JsonObject s)
    {
        // kube-openapi wraps a $ref in allOf to attach a description or default to it.
        if (s["allOf"] is JsonArray { Count: 1 } allOf && allOf[0] is JsonObject only && RefOf(only) is { } wrapped)
            CopyFrom(node, ReadRef(wrapped));
        if (RefOf(s) is { } direct) CopyFrom(node, ReadRef(direct));

        if (s["type"]?.GetValue<string>() is { } type) node.Type = type;
        if (s["format"]?.GetValue<string>() is { } format) node.Format = format;
        if (node.Format == "int-or-string" || s["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            node.IntOrString = true;
            node.Type = null;
        }
        if (s["properties"] is JsonObject props)
            foreach (var (name, sub) in props) node.Properties[name] = ReadAny(sub);
        if (s["required"] is JsonArray req)
            foreach (var r in req) if (r is not null) node.Required.Add(r.GetValue<string>());
        if (s["items"] is { } items) node.Items = ReadAny(items);
        switch (s["additionalProperties"])
        {
            case JsonObject ap: node.AdditionalProperties = ReadAny(ap); break;
            case JsonValue v when v.GetValue<bool>(): node.AdditionalProperties = SchemaNode.Unknown; break;
        }
        node.PatchStrategy = s["x-kubernetes-patch-strategy"]?.GetValue<string>() ?? node.PatchStrategy;
        node.PatchMergeKey = s["x-kubernetes-patch-merge-key"]?.GetValue<string>() ?? node.PatchMergeKey;
        if (s["x-kubernetes-map-type"]?.GetValue<string>() is { } mapType)
            node.MapType = mapType == "atomic" ? MapType.Atomic : MapType.Granular;
        if (s["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true) node.PreserveUnknownFields = true;
        if (s["x-kubernetes-embedded-resource"]?.GetValue<bool>() == true) node.EmbeddedResource = true;
        if (s["nullable"]?.GetValue<bool>() == true) node.Nullable = true;
        if (s["enum"] is JsonArray en) foreach (var e in en) node.Enum.Add(e?.DeepClone());
        if (readDefaults && s["default"] is { } def) node.Default = def.DeepClone();
        node.Minimum = Number(s, "minimum") ?? node.Minimum;
        node.Maximum = Number(s, "maximum") ?? node.Maximum;
        node.MinLength = (long?)Number(s, "minLength") ?? node.MinLength;
        node.MaxLength = (long?)Number(s, "maxLength") ?? node.MaxLength;
        node.MinItems = (long?)Number(s, "minItems") ?? node.MinItems;
        node.MaxItems = (long?)Number(s, "maxItems") ?? node.MaxItems;
        node.Pattern = s["pattern"]?.GetValue<string>() ?? node.Pattern;
        SetListType(node, s);
    }

    private static double? Number(JsonObject s, string name) =>
        s[name] is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    // structured-merge-diff's schemaconv: an explicit x-kubernetes-list-type wins; otherwise a
    // "merge" patch strategy makes an associative list (keyed by the merge key) or a set.
    private static void SetListType(SchemaNode node, JsonObject s)
    {
        if (s["x-kubernetes-list-type"]?.GetValue<string>() is { } listType)
        {
            node.ListType = listType switch { "map" => ListType.Map, "set" => ListType.Set, _ => ListType.Atomic };
            node.ListMapKeys.Clear();
            if (s["x-kubernetes-list-map-keys"] is JsonArray keys)
                foreach (var k in keys) if (k is not null) node.ListMapKeys.Add(k.GetValue<string>());
            return;
        }
        if (node.PatchStrategy?.Split(',').Contains("merge") == true)
        {
            node.ListType = node.PatchMergeKey is null ? ListType.Set : ListType.Map;
            node.ListMapKeys.Clear();
            if (node.PatchMergeKey is not null) node.ListMapKeys.Add(node.PatchMergeKey);
        }
    }

    private static void CopyFrom(SchemaNode node, SchemaNode source)
    {
        node.Type ??= source.Type;
        node.Format ??= source.Format;
        foreach (var (k, v) in source.Properties) node.Properties.TryAdd(k, v);
        foreach (var r in source.Required) if (!node.Required.Contains(r)) node.Required.Add(r);
        node.Items ??= source.Items;
        node.AdditionalProperties ??= source.AdditionalProperties;
        node.ListType = source.ListType;
        node.ListMapKeys.AddRange(source.ListMapKeys);
        node.MapType = source.MapType;
        node.PatchStrategy ??= source.PatchStrategy;
        node.PatchMergeKey ??= source.PatchMergeKey;
        node.PreserveUnknownFields |= source.PreserveUnknownFields;
        node.IntOrString |= source.IntOrString;
        node.EmbeddedResource |= source.EmbeddedResource;
        node.Enum.AddRange(source.Enum);
    }
}
