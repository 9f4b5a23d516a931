using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>
/// Create-time validation of a CustomResourceDefinition (apiextensions validation.go, v1 semantics):
/// metadata.name = plural.group, group, scope, versions (names, storage, schemas), names.
/// Run it on the defaulted CRD (<see cref="CrdDefaults.Apply"/>).
/// </summary>
public static class CrdValidation
{
    public static IReadOnlyList<StatusCause> Validate(JsonObject crd)
    {
        var errs = new List<StatusCause>();
        var spec = Json.Obj(crd, "spec") ?? [];
        var names = Json.Obj(spec, "names") ?? [];
        var group = Json.Str(spec, "group") ?? "";
        var plural = Json.Str(names, "plural") ?? "";
        List<string> NameFn(string name, bool prefix)
        {
            var msgs = NameRules.IsDns1123Subdomain(prefix ? NameRules.MaskTrailingDash(name) : name);
            if (name != plural + "." + group) msgs.Add("must be spec.names.plural+\".\"+spec.group");
            return msgs;
        }
        errs.AddRange(MetadataValidation.ObjectMeta(Json.Obj(crd, "metadata"), NameFn));

        if (group.Length == 0) errs.Add(FieldErrors.Required("spec.group"));
        else if (NameRules.IsDns1123Subdomain(group) is { Count: > 0 } groupErrs) errs.Add(FieldErrors.InvalidString("spec.group", group, string.Join(",", groupErrs)));
        else if (!group.Contains('.', StringComparison.Ordinal)) errs.Add(FieldErrors.InvalidString("spec.group", group, "should be a domain with at least one dot"));

        errs.AddRange(EnumString("spec.scope", Json.Str(spec, "scope") ?? "", ["Cluster", "Namespaced"]));

        var versions = Json.Arr(spec, "versions");
        var list = Json.Objects(versions).ToList();
        for (var i = 0; i < list.Count; i++)
            if (Json.Obj(Json.Obj(list[i], "schema"), "openAPIV3Schema") is null)
                errs.Add(FieldErrors.Required($"spec.versions[{i}].schema.openAPIV3Schema", "schemas are required"));
        var storageCount = 0;
        var unique = true;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var name = Json.Str(list[i], "name") ?? "";
            if (Json.Bool(list[i], "storage") == true) storageCount++;
            if (!seen.Add(name)) unique = false;
            if (NameRules.IsDns1035Label(name) is { Count: > 0 } e) errs.Add(FieldErrors.InvalidString($"spec.versions[{i}].name", name, string.Join(",", e)));
            errs.AddRange(SchemaRoot(Json.Obj(Json.Obj(list[i], "schema"), "openAPIV3Schema"), $"spec.versions[{i}].schema.openAPIV3Schema"));
        }
        if (!unique) errs.Add(FieldErrors.Invalid("spec.versions", VersionsValue(versions), "must contain unique version names"));
        if (storageCount != 1) errs.Add(FieldErrors.Invalid("spec.versions", VersionsValue(versions), "must have exactly one version marked as storage version"));

        foreach (var field in new[] { "plural", "singular", "kind", "listKind" })
            if ((Json.Str(names, field) ?? "").Length == 0) errs.Add(FieldErrors.Required($"spec.names.{field}"));
        errs.AddRange(Names(names));

        var strategy = Json.Str(Json.Obj(spec, "conversion"), "strategy") ?? "";
        errs.AddRange(EnumString("spec.conversion.strategy", strategy, ["None", "Webhook"]));
        return errs;
    }

    private static IEnumerable<StatusCause> EnumString(string field, string value, string[] accepted)
    {
        if (value.Length == 0) return [FieldErrors.Required(field)];
        return accepted.Contains(value) ? [] : [FieldErrors.NotSupported(field, GoFormat.Quote(value), accepted)];
    }

    private static IEnumerable<StatusCause> SchemaRoot(JsonObject? schema, string path)
    {
        if (schema is null) yield break;
        var type = Json.Str(schema, "type") ?? "";
        if (type.Length == 0 && Json.Bool(schema, "x-kubernetes-preserve-unknown-fields") != true)
            yield return FieldErrors.Required(path + ".type", "must not be empty at the root");
        else if (type.Length > 0 && type != "object")
            yield return FieldErrors.InvalidString(path + ".type", type, "must be object at the root");
    }

    private static IEnumerable<StatusCause> Names(JsonObject names)
    {
        string S(string f) => Json.Str(names, f) ?? "";
        const string mixed = "may have mixed case, but should otherwise match: ";
        if (S("plural").Length > 0 && NameRules.IsDns1035Label(S("plural")) is { Count: > 0 } e1)
            yield return FieldErrors.InvalidString("spec.names.plural", S("plural"), string.Join(",", e1));
        if (S("singular").Length > 0 && NameRules.IsDns1035Label(S("singular")) is { Count: > 0 } e2)
            yield return FieldErrors.InvalidString("spec.names.singular", S("singular"), string.Join(",", e2));
        if (S("kind").Length > 0 && NameRules.IsDns1035Label(S("kind").ToLowerInvariant()) is { Count: > 0 } e3)
            yield return FieldErrors.InvalidString("spec.names.kind", S("kind"), mixed + string.Join(",", e3));
        if (S("listKind").Length > 0 && NameRules.IsDns1035Label(S("listKind").ToLowerInvariant()) is { Count: > 0 } e4)
            yield return FieldErrors.InvalidString("spec.names.listKind", S("listKind"), mixed + string.Join(",", e4));
        var i = 0;
        foreach (var shortName in Json.Arr(names, "shortNames") ?? [])
        {
            var s = shortName?.GetValue<string>() ?? "";
            if (NameRules.IsDns1035Label(s) is { Count: > 0 } e) yield return FieldErrors.InvalidString($"spec.names.shortNames[{i}]", s, string.Join(",", e));
            i++;
        }
        if (S("kind").Length > 0 && S("kind") == S("listKind"))
            yield return FieldErrors.InvalidString("spec.names.listKind", S("listKind"), "kind and listKind may not be the same");
        i = 0;
        foreach (var category in Json.Arr(names, "categories") ?? [])
        {
            var s = category?.GetValue<string>() ?? "";
            if (NameRules.IsDns1035Label(s) is { Count: > 0 } e) yield return FieldErrors.InvalidString($"spec.names.categories[{i}]", s, string.Join(",", e));
            i++;
        }
    }

    /// <summary>
    /// %#v of the internal []CustomResourceDefinitionVersion. Schemas, subresources and columns that
    /// are identical in every version were moved to the spec by conversion, so they print as nil;
    /// otherwise Go prints a pointer address, shown here as 0xc000000000.
    /// </summary>
    private static string VersionsValue(JsonArray? versions)
    {
        const string type = "apiextensions.CustomResourceDefinitionVersion";
        if (versions is null) return $"[]{type}(nil)";
        var list = Json.Objects(versions).ToList();
        bool Identical(string field) => list.All(v => JsonNode.DeepEquals(v[field], list[0][field]));
        var items = list.Select(v =>
        {
            var warning = Json.Str(v, "deprecationWarning") is null ? "(*string)(nil)" : "(*string)(0xc000000000)";
            string Ptr(string field, string t) => v[field] is null || Identical(field) ? $"(*apiextensions.{t})(nil)" : $"(*apiextensions.{t})(0xc000000000)";
            var columns = v["additionalPrinterColumns"] is null || Identical("additionalPrinterColumns")
                ? "[]apiextensions.CustomResourceColumnDefinition(nil)"
                : "[]apiextensions.CustomResourceColumnDefinition{...}";
            return $"{type}{{Name:{GoFormat.Quote(Json.Str(v, "name") ?? "")}, Served:{B(v, "served")}, Storage:{B(v, "storage")}, Deprecated:{B(v, "deprecated")}, DeprecationWarning:{warning}, Schema:{Ptr("schema", "CustomResourceValidation")}, Subresources:{Ptr("subresources", "CustomResourceSubresources")}, AdditionalPrinterColumns:{columns}}}";
        });
        return $"[]{type}{{{string.Join(", ", items)}}}";
    }

    private static string B(JsonObject o, string f) => Json.Bool(o, f) == true ? "true" : "false";
}
