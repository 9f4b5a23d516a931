using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.Admission;

/// <summary>
/// What apiextensions-apiserver does to a custom resource with a structural schema: prune unknown
/// fields, apply schema defaults, and validate (kube-openapi messages as apiextensions reports them).
/// Call in that order: Prune, ApplyDefaults, Validate.
/// </summary>
public static class CrdSchemaAdmission
{
    /// <summary>
    /// Removes fields the schema does not specify (kept under x-kubernetes-preserve-unknown-fields),
    /// and unknown metadata fields of the object and its embedded resources.
    /// </summary>
    public static void Prune(JsonObject obj, SchemaNode schema) => Decoding.UnknownFields.Drop(obj, schema, builtin: false);

    /// <summary>
    /// Structural defaulting: a property with a default is set when absent (or null and not nullable),
    /// recursively, so nested defaults apply only where their parent exists; then non-nullable nulls
    /// without a default are dropped.
    /// </summary>
    public static void ApplyDefaults(JsonObject obj, SchemaNode schema)
    {
        Default(obj, schema, isResource: true);
        PruneNulls(obj, schema, isResource: true);
    }

    private static bool NonNullableNull(JsonNode? v, SchemaNode s) => v is null && !s.Nullable;

    private static void Default(JsonNode? x, SchemaNode s, bool isResource = false)
    {
        switch (x)
        {
            case JsonObject o:
                foreach (var (k, prop) in s.Properties)
                {
                    if (prop.Default is null || (isResource && k == "metadata")) continue;
                    if (!o.TryGetPropertyValue(k, out var existing) || NonNullableNull(existing, prop)) o[k] = prop.Default.DeepClone();
                }
                foreach (var (k, v) in o.ToList())
                {
                    if (isResource && k == "metadata") continue;
                    if (s.Properties.TryGetValue(k, out var prop)) Default(v, prop);
                    else if (s.AdditionalProperties is { } ap)
                    {
                        if (NonNullableNull(v, ap) && ap.Default is not null) o[k] = ap.Default.DeepClone();
                        Default(o[k], ap);
                    }
                }
                break;
            case JsonArray a when s.Items is { } items:
                for (var i = 0; i < a.Count; i++)
                {
                    if (NonNullableNull(a[i], items) && items.Default is not null) a[i] = items.Default.DeepClone();
                    Default(a[i], items);
                }
                break;
        }
    }

    private static void PruneNulls(JsonNode? x, SchemaNode s, bool isResource = false)
    {
        switch (x)
        {
            case JsonObject o:
                foreach (var (k, v) in o.ToList())
                {
                    if (isResource && k == "metadata") continue;
                    var prop = s.Properties.GetValueOrDefault(k) ?? s.AdditionalProperties;
                    if (prop is null) continue;
                    if (v is null && !prop.Nullable && prop.Default is null) o.Remove(k);
                    else PruneNulls(v, prop);
                }
                break;
            case JsonArray a when s.Items is { } items:
                foreach (var v in a) PruneNulls(v, items);
                break;
        }
    }

    /// <summary>
    /// Metadata checks of a custom resource (name as DNS-1123 subdomain, labels, annotations) then
    /// the schema's, ordered by field path.
    /// </summary>
    public static IReadOnlyList<StatusCause> Validate(JsonObject obj, SchemaNode schema)
    {
        var errs = new List<StatusCause>();
        errs.AddRange(MetadataValidation.ObjectMeta(Json.Obj(obj, "metadata"), BuiltinValidation.NameRule("custom", "Resource")));
        var schemaErrs = new List<StatusCause>();
        ValidateObjectFields(obj, schema, "", schemaErrs, isResource: true);
        errs.AddRange(schemaErrs.OrderBy(c => c.Field, StringComparer.Ordinal));
        return errs;
    }

    private static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static void ValidateNode(JsonNode? v, SchemaNode s, string path, List<StatusCause> errs)
    {
        if (ReferenceEquals(s, SchemaNode.Unknown)) return;
        if (v is null)
        {
            if (!s.Nullable && (s.Type is not null || s.IntOrString))
                errs.Add(TypeError(path, s, "null"));
            return;
        }
        var actual = TypeName(v);
        if (s.IntOrString)
        {
            if (actual is not ("integer" or "string")) { errs.Add(TypeError(path, s, actual)); return; }
        }
        else if (s.Type is { } t && !(t == actual || (t == "number" && actual == "integer")))
        {
            errs.Add(TypeError(path, s, actual));
            return;
        }

        if (s.Enum.Count > 0 && !s.Enum.Any(e => JsonNode.DeepEquals(e, v)))
            errs.Add(FieldErrors.NotSupported(path, GoFormat.Value(v), s.Enum.Select(e =>
                e is JsonValue ev && ev.GetValueKind() == JsonValueKind.String ? ev.GetValue<string>() : e?.ToJsonString() ?? "null")));

        switch (v)
        {
            case JsonValue value when actual is "integer" or "number":
                var d = double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);
                if (s.Minimum is { } min && d < min)
                    errs.Add(FieldErrors.Invalid(path, GoFormat.Value(v), $"{path} in body should be greater than or equal to {GoFormat.Float(min)}"));
                if (s.Maximum is { } max && d > max)
                    errs.Add(FieldErrors.Invalid(path, GoFormat.Value(v), $"{path} in body should be less than or equal to {GoFormat.Float(max)}"));
                break;
            case JsonValue value when actual == "string":
                var str = value.GetValue<string>();
                var runes = str.EnumerateRunes().Count();
                if (s.MaxLength is { } maxLen && runes > maxLen)
                    errs.Add(new StatusCause("FieldValueTooLong", $"Too long: may not be longer than {maxLen}", path));
                if (s.MinLength is { } minLen && runes < minLen)
                    errs.Add(FieldErrors.Invalid(path, GoFormat.Value(v), $"{path} in body should be at least {minLen} chars long"));
                if (s.Pattern is { } pattern && !Regex.IsMatch(str, pattern))
                    errs.Add(FieldErrors.Invalid(path, GoFormat.Value(v), $"{path} in body should match '{pattern}'"));
                break;
            case JsonArray array:
                if (s.MaxItems is { } maxItems && array.Count > maxItems)
                    errs.Add(FieldErrors.TooMany(path, array.Count, (int)maxItems));
                if (s.MinItems is { } minItems && array.Count < minItems)
                    errs.Add(FieldErrors.Invalid(path, GoFormat.Value(v), $"{path} in body should have at least {minItems} items"));
                for (var i = 0; i < array.Count; i++) ValidateNode(array[i], s.Element, $"{path}[{i}]", errs);
                Uniqueness(array, s, path, errs);
                break;
            case JsonObject o:
                ValidateObjectFields(o, s, path, errs, isResource: s.EmbeddedResource);
                break;
        }
    }

    private static void ValidateObjectFields(JsonObject o, SchemaNode s, string path, List<StatusCause> errs, bool isResource)
    {
        foreach (var r in s.Required)
            if (!o.ContainsKey(r) && !(isResource && r == "metadata")) errs.Add(FieldErrors.Required(Child(path, r)));
        foreach (var (k, child) in o)
        {
            if (isResource && k == "metadata") continue;
            var sub = s.Properties.GetValueOrDefault(k) ?? s.AdditionalProperties;
            if (sub is not null) ValidateNode(child, sub, Child(path, k), errs);
        }
    }

    private static void Uniqueness(JsonArray array, SchemaNode s, string path, List<StatusCause> errs)
    {
        if (s.ListType == ListType.Atomic) return;
        var seen = new List<JsonNode?>();
        for (var i = 0; i < array.Count; i++)
        {
            JsonNode? key = array[i];
            if (s.ListType == ListType.Map)
            {
                var k = new JsonObject();
                foreach (var name in s.ListMapKeys)
                    if (array[i] is JsonObject item && item.TryGetPropertyValue(name, out var kv)) k[name] = kv?.DeepClone();
                key = k;
            }
            if (seen.Any(x => JsonNode.DeepEquals(x, key))) errs.Add(FieldErrors.Duplicate($"{path}[{i}]", GoFormat.Value(key)));
            else seen.Add(key);
        }
    }

    private static StatusCause TypeError(string path, SchemaNode s, string actual)
    {
        var expected = s.IntOrString ? "integer,string" : s.Type;
        return FieldErrors.TypeInvalid(path, GoFormat.Quote(actual), $"{path} in body must be of type {expected}: {GoFormat.Quote(actual)}");
    }

    private static string TypeName(JsonNode v) => v switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue jv => jv.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => IsInteger(jv) ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    private static bool IsInteger(JsonValue v)
    {
        if (Json.AsLong(v) is not null) return true;
        var d = double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture);
        return Math.Floor(d) == d && !double.IsInfinity(d);
    }
}
