using System.Text.Json.Nodes;
using GitOps.Sandbox.Admission;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Patching;
using GitOps.Sandbox.Schema;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Decoding;

/// <summary>
/// Server-side field validation (the fieldValidation parameter) as kube-apiserver applies it to
/// what it decodes: a create or update body, the object a patch produces, an applied object.
/// Unknown fields are always dropped; Warn turns each strict decoding error into a warning,
/// Strict fails the request with all of them.
/// </summary>
public sealed class FieldValidator(ISchemaProvider schemas)
{
    private const string StrictPrefix = "strict decoding error: ";

    // jsonPatchOp, the struct a JSON patch's operations are strictly decoded into.
    private static readonly SchemaNode JsonPatchOperations = new()
    {
        Type = "array",
        Items = new SchemaNode
        {
            Type = "object",
            Properties = { ["op"] = new() { Type = "string" }, ["path"] = new() { Type = "string" }, ["from"] = new() { Type = "string" }, ["value"] = SchemaNode.Unknown },
        },
    };

    /// <summary>
    /// Decodes a create or update body (JSON or YAML) without its unknown fields. Strict fails with
    /// 400 <c>Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ...</c>.
    /// </summary>
    public JsonObject DecodeBody(ResourceType type, string text, string? contentType, FieldValidation directive, WarningRecorder warnings)
    {
        var obj = BodyParser.ParseObject(type, text, contentType);
        if (schemas.Find(type.Group, type.Version, type.Kind) is not { } schema) return obj;
        var dropped = UnknownFields.Drop(obj, schema, builtin: !type.IsCustom);
        if (directive == FieldValidation.Ignore) return obj;
        if (contentType?.Contains("yaml", StringComparison.Ordinal) == true)
        {
            // go-yaml reports its duplicate keys as one error of several lines, warned line by line.
            var duplicates = YamlJson.Duplicates(text);
            var unknown = Unknown(dropped, type.IsCustom).ToList();
            List<string> strict = [.. duplicates.Count == 0 ? [] : new[] { YamlErrors(duplicates) }, .. unknown];
            Report(strict, [.. duplicates, .. unknown], directive, warnings, CannotBeHandled);
            return obj;
        }
        var errors = type.IsCustom ? [.. StrictJson.Duplicates(text), .. Unknown(dropped, custom: true)] : StrictJson.TypedErrors(text, schema).ToList();
        Report(errors, errors, directive, warnings, CannotBeHandled);
        return obj;

        StatusException CannotBeHandled(string message)
        {
            var apiVersion = Json.Str(obj, "apiVersion") ?? "";
            var version = apiVersion[(apiVersion.IndexOf('/') + 1)..];
            return StatusException.BadRequest($"{Json.Str(obj, "kind")} in version {GoFormat.Quote(version)} cannot be handled as a {type.Kind}: {message}");
        }
    }

    /// <summary>
    /// Drops the unknown fields of the object a JSON, merge or strategic merge patch produced.
    /// The strict errors are the patch's own (duplicate fields; a JSON patch's unknown operation
    /// fields) then the object's unknown fields; Strict fails with 422
    /// <c> "" is invalid: patch: Invalid value: "...": strict decoding error: ...</c>, the value being
    /// the patch (%v of its map) for a strategic merge patch, else the patched object's JSON.
    /// </summary>
    public void CheckPatched(ResourceType type, JsonObject patched, string contentType, string patch, FieldValidation directive, WarningRecorder? warnings)
    {
        if (schemas.Find(type.Group, type.Version, type.Kind) is not { } schema) return;
        var invalidValue = directive == FieldValidation.Strict
            ? contentType == PatchBody.StrategicMergePatchType ? GoFormat.Plain(PatchBody.ParseStrategic(patch)) : SortedJson(patched)
            : "";
        var dropped = UnknownFields.Drop(patched, schema, builtin: !type.IsCustom);
        if (directive == FieldValidation.Ignore) return;
        var patchErrors = contentType == PatchBody.JsonPatchType
            ? StrictJson.TypedErrors(patch, JsonPatchOperations).Select(e => $"json patch {e}")
            : StrictJson.Duplicates(patch);
        var errors = patchErrors.Concat(Unknown(dropped, type.IsCustom)).ToList();
        Report(errors, errors, directive, warnings, message =>
        {
            var cause = FieldErrors.Invalid("patch", GoFormat.Quote(invalidValue), message);
            return StatusException.FromStatus(AdmissionStatus.InvalidStatus("", "", "", [cause]));
        });
    }

    /// <summary>
    /// Server-side apply types the applied object first, whatever fieldValidation says: an
    /// undeclared field fails with kube-apiserver's 500 (a plain error, no reason)
    /// <c>failed to create typed patch object (ns/name; apps/v1, Kind=Deployment): .spec.x: field not declared in schema</c>.
    /// </summary>
    public void CheckApplied(ResourceType type, JsonObject applied)
    {
        if (schemas.Find(type.Group, type.Version, type.Kind) is not { } schema) return;
        var errors = UnknownFields.NotDeclaredForApply(applied, schema, builtin: !type.IsCustom);
        if (errors.Count == 0) return;
        var apiVersion = Json.Str(applied, "apiVersion") ?? "";
        var gv = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion : "/" + apiVersion;
        var subject = $"{ObjectMeta.Namespace(applied)}/{ObjectMeta.Name(applied)}; {gv}, Kind={Json.Str(applied, "kind")}";
        var detail = errors.Count == 1 ? errors[0] : "errors:\n" + string.Join("\n", errors.Select(e => "  " + e));
        throw new StatusException(500, "", $"failed to create typed patch object ({subject}): {detail}");
    }

    /// <summary>
    /// After a successful apply, Warn and Strict decode its YAML strictly again (the <paramref name="duplicates"/>
    /// the body's one read found): only duplicate keys can fail there, 400 <c>error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors: ...</c>.
    /// </summary>
    public static void CheckAppliedYaml(IReadOnlyList<string> duplicates, FieldValidation directive, WarningRecorder? warnings)
    {
        if (directive == FieldValidation.Ignore) return;
        Report([.. duplicates.Count == 0 ? [] : new[] { YamlErrors(duplicates) }], duplicates, directive, warnings,
            message => StatusException.BadRequest($"error strict decoding YAML: error converting YAML to JSON: {message}"), prefix: "");
    }

    private static string YamlErrors(IReadOnlyList<string> duplicates) =>
        "yaml: unmarshal errors:\n" + string.Join("\n", duplicates.Select(d => "  " + d));

    private static IEnumerable<string> Unknown(IReadOnlyList<UnknownField> dropped, bool custom) =>
        UnknownFields.InReportOrder(dropped, custom).Select(p => $"unknown field {GoFormat.Quote(p)}");

    /// <summary>Strict fails with the errors joined; Warn warns each text.</summary>
    private static void Report(IReadOnlyList<string> strictErrors, IReadOnlyList<string> warningTexts, FieldValidation directive,
        WarningRecorder? warnings, Func<string, StatusException> strictFailure, string prefix = StrictPrefix)
    {
        if (strictErrors.Count == 0) return;
        if (directive == FieldValidation.Strict) throw strictFailure(prefix + string.Join(", ", strictErrors.Distinct(StringComparer.Ordinal)));
        warnings?.AddRange(warningTexts);
    }

    // The patched object as jsonpatch writes it back: a Go map's JSON, keys sorted.
    private static string SortedJson(JsonNode? node) => JsonOutput.Write(Sorted(node) ?? JsonValue.Create((string?)null)!);

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
