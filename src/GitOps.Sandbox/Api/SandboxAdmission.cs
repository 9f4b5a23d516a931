using System.Text.Json.Nodes;
using GitOps.Sandbox.Admission;
using GitOps.Sandbox.Schema;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>
/// Admission for the sandbox: built-in defaults and validation (Admission.Builtin*), and for
/// custom resources the CRD schema's pruning, defaults and validation.
/// </summary>
public sealed class SandboxAdmission(ISchemaProvider schemas, IAllocator allocator) : IObjectAdmission
{
    public void Default(ResourceType type, JsonObject obj)
    {
        if (type.IsCustom)
        {
            if (schemas.Find(type.Group, type.Version, type.Kind) is { } schema)
            {
                CrdSchemaAdmission.Prune(obj, schema);
                CrdSchemaAdmission.ApplyDefaults(obj, schema);
            }
            return;
        }
        if (type is { Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition" }) CrdDefaults.Apply(obj);
        else BuiltinDefaults.Apply(type.Group, type.Kind, obj, allocator);
        var kept = GoEncoding.KeptEmptyCollections(obj, type.Group, type.Version, type.Kind);
        if (schemas.Find(type.Group, type.Version, type.Kind) is { } builtin) GoOmitEmpty.Normalize(obj, builtin, kept);
        GoEncoding.Encode(obj, type.Group, type.Version, type.Kind);
    }

    public void PrepareForCreate(ResourceType type, JsonObject obj)
    {
        if (!type.IsCustom) BuiltinDefaults.PrepareForCreate(type.Group, type.Kind, obj, allocator);
    }

    public void PrepareForUpdate(ResourceType type, JsonObject obj, JsonObject old, string? subresource)
    {
        if (type is { Group: "", Kind: "Service" })
        {
            CoreUpdateValidation.PrepareServiceUpdate(obj, old);
            ServiceDefaults.Allocate(obj, allocator);
        }
        if (type is { Group: "", Kind: "Namespace" } && subresource != "finalize") CoreDefaults.KeepNamespaceFinalizers(obj, old);
    }

    public IReadOnlyList<Cause> Validate(ResourceType type, JsonObject obj, JsonObject? old)
    {
        IEnumerable<StatusCause> causes = BuiltinValidation.Validate(type.Group, type.Kind, obj, old);
        // A second validator (a CRD's schema, CRD rules) may name what the first did: each cause once.
        if (type.IsCustom && schemas.Find(type.Group, type.Version, type.Kind) is { } schema)
            causes = causes.Concat(CrdSchemaAdmission.Validate(obj, schema)).Distinct();
        if (type is { Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition" })
            causes = causes.Concat(CrdValidation.Validate(obj)).Distinct();
        IReadOnlyList<StatusCause> all = [.. causes];
        if (old is not null && !type.IsCustom) all = UpdateValidation.Validate(type.Group, type.Kind, obj, old, all);
        return [.. all.Select(c => new Cause(c.Reason, c.Message, c.Field))];
    }
}
