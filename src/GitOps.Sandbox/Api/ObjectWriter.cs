using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Decoding;
using GitOps.Sandbox.Patching;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>
/// The write path of the API server: create, update, patch and apply, each ending in one
/// admission + commit step run atomically against the store (defaults, validation,
/// managedFields, generation, no-op detection, finalizer-driven removal). Requests are worked in
/// the form the resource serves; what is stored, and returned, is the stored form (<see cref="StoredForm"/>).
/// </summary>
public sealed class ObjectWriter(ObjectStore store, IObjectAdmission admission, IFieldManagement fields, IClock clock, FieldValidator validator)
{
    /// <summary>The kind's storage checks of a requester's write (RBAC escalation), run before validation.</summary>
    internal IWritePolicy? Policy { get; init; }

    public JsonObject Create(ResourceType type, string? ns, JsonObject body, WriteOptions options) => store.Transact(tx =>
    {
        var obj = PrepareCreate(tx, type, ns, body, options);
        var key = Key(type, obj);
        if (tx.Peek(key) is not null) throw StatusException.AlreadyExists(type, ObjectMeta.Name(obj));
        obj = fields.TrackUpdate(type, null, WithDefaults(type, obj), options.Manager, options.Subresource, clock.Now);
        admission.PrepareForCreate(type, obj);
        return Commit(tx, type, key, null, obj, options);
    });

    /// <summary>
    /// The managedFields a create records for <paramref name="manager"/> on <paramref name="requested"/>,
    /// an object answered and never stored (a review): the create handler runs the field manager, from
    /// the kind's <paramref name="empty"/> object, before it hands any object to its registry.
    /// </summary>
    public JsonNode? CreateManagedFields(ResourceType type, JsonObject empty, JsonObject requested, string manager) =>
        fields.TrackUpdate(type, empty, requested, manager, null, clock.Now)["metadata"]?["managedFields"]?.DeepClone();

    public JsonObject Update(ResourceType type, string? ns, string name, JsonObject body, WriteOptions options) => store.Transact(tx =>
    {
        CheckIdentity(type, ns, name, body);
        var key = new ObjectKey(type.GroupResource, ns ?? "", name);
        var old = Served(type, tx.Peek(key)) ?? throw StatusException.NotFound(type, name);
        UidPrecondition.CheckUpdate(type, ns, name, body, old);
        var candidate = body.DeepClone().AsObject();
        var rv = ObjectMeta.Str(candidate, "resourceVersion");
        if (!string.IsNullOrEmpty(rv) && rv != ObjectMeta.Str(old, "resourceVersion")) throw StatusException.Conflict(type, name);
        candidate = MergeIntoOld(type, old, candidate, options.Subresource);
        candidate = fields.TrackUpdate(type, old, WithDefaults(type, candidate, old, options.Subresource), options.Manager, options.Subresource, clock.Now);
        return Commit(tx, type, key, old, candidate, options);
    });

    /// <summary>JSON patch, merge patch, strategic merge patch or server-side apply of one object.</summary>
    public (JsonObject Object, bool Created) Patch(ResourceType type, string? ns, string name, string contentType, string body, WriteOptions options) => store.Transact(tx =>
    {
        var key = new ObjectKey(type.GroupResource, ns ?? "", name);
        var old = Served(type, tx.Peek(key));
        if (options.Operation == WriteOperation.Apply) return ApplyPatch(tx, type, ns, name, key, old, body, options);
        if (old is null) throw StatusException.NotFound(type, name);
        var patched = PatchDocument(type, old, contentType, body);
        validator.CheckPatched(type, patched, contentType, body, options.FieldValidation, options.Warnings);
        CheckIdentity(type, ns, name, patched);
        var rv = ObjectMeta.Str(patched, "resourceVersion");
        if (!string.IsNullOrEmpty(rv) && rv != ObjectMeta.Str(old, "resourceVersion")) throw StatusException.Conflict(type, name);
        UidPrecondition.CheckPatch(type, name, patched, old);
        var candidate = MergeIntoOld(type, old, patched, options.Subresource);
        candidate = fields.TrackUpdate(type, old, WithDefaults(type, candidate, old, options.Subresource), options.Manager, options.Subresource, clock.Now);
        return (Commit(tx, type, key, old, candidate, options), false);
    });

    /// <summary>
    /// A write through the /scale subresource: <paramref name="change"/> turns the current Scale
    /// into the desired one (a PUT body, or the Scale patched); spec.replicas is written back.
    /// </summary>
    public JsonObject UpdateScale(ResourceType type, string? ns, string name, ScalePaths paths, Func<JsonObject, JsonObject> change, WriteOptions options) => store.Transact(tx =>
    {
        var key = new ObjectKey(type.GroupResource, ns ?? "", name);
        var old = tx.Peek(key) ?? throw StatusException.NotFound(type, name);
        var desired = change(Scale.FromObject(type, old, paths));
        var candidate = Scale.Apply(type, old, desired, paths);
        candidate = fields.TrackUpdate(type, old, WithDefaults(type, candidate), options.Manager, "scale", clock.Now);
        return Scale.FromObject(type, Commit(tx, type, key, old, candidate, options), paths);
    });

    /// <summary>A JSON, merge or strategic merge patch of a Scale (a built-in kind without lists: strategic is merge).</summary>
    public static JsonObject PatchScale(JsonObject scale, string contentType, string body)
    {
        try
        {
            var result = contentType switch
            {
                "application/json-patch+json" => JsonPatch.Apply(scale.DeepClone(), PatchBody.Parse(body, contentType)),
                "application/merge-patch+json" => MergePatch.ApplyToObject(scale.DeepClone().AsObject(), PatchBody.Parse(body, contentType)),
                _ => StrategicMergePatch.Apply(scale.DeepClone().AsObject(), PatchBody.ParseStrategic(body), Schema.SchemaNode.Unknown),
            };
            return result as JsonObject ?? throw StatusException.BadRequest("the patch did not produce an object");
        }
        catch (PatchException e)
        {
            throw new StatusException(e.Code, e.Reason, e.Message, e.IsInvalid ? new JsonObject() : null);
        }
    }

    private (JsonObject, bool) ApplyPatch(ObjectStore.Transaction tx, ResourceType type, string? ns, string name, ObjectKey key, JsonObject? old, string body, WriteOptions options)
    {
        var (applied, duplicates) = BodyParser.ParseApplyBody(type, body);
        validator.CheckApplied(type, applied);
        CheckIdentity(type, ns, name, applied);
        if (old is null)
        {
            if (options.Subresource is not null) throw StatusException.NotFound(type, name);
            var seed = PrepareCreate(tx, type, ns, applied, options);
            var created = fields.Apply(type, null, seed, options.Manager, options.Force, null, clock.Now);
            FieldValidator.CheckAppliedYaml(duplicates, options.FieldValidation, options.Warnings);
            CopyServerFields(seed, created);
            created = WithDefaults(type, created);
            admission.PrepareForCreate(type, created);
            return (Commit(tx, type, key, null, created, options), true);
        }
        var rv = ObjectMeta.Str(applied, "resourceVersion");
        if (!string.IsNullOrEmpty(rv) && rv != ObjectMeta.Str(old, "resourceVersion")) throw StatusException.Conflict(type, name);
        var live = old.DeepClone().AsObject();
        UidPrecondition.CheckPatch(type, name, applied, old);
        var merged = fields.Apply(type, live, applied, options.Manager, options.Force, options.Subresource, clock.Now);
        FieldValidator.CheckAppliedYaml(duplicates, options.FieldValidation, options.Warnings);
        var candidate = MergeIntoOld(type, old, merged, options.Subresource);
        return (Commit(tx, type, key, old, WithDefaults(type, candidate, old, options.Subresource), options), false);
    }

    private static JsonObject PatchDocument(ResourceType type, JsonObject old, string contentType, string body)
    {
        if (!PatchTypes(type).Contains(contentType)) throw StatusException.UnsupportedMediaType(contentType, PatchTypes(type));
        try
        {
            var result = contentType switch
            {
                "application/json-patch+json" => JsonPatch.Apply(old.DeepClone(), PatchBody.Parse(body, contentType)),
                "application/merge-patch+json" => MergePatch.ApplyToObject(old.DeepClone().AsObject(), PatchBody.Parse(body, contentType)),
                _ => StrategicMergePatch.Apply(old.DeepClone().AsObject(), PatchBody.ParseStrategic(body),
                        Schema.BuiltinSchemas.Shared.Find(type.Group, type.Version, type.Kind) ?? Schema.SchemaNode.Unknown),
            };
            return result as JsonObject ?? throw StatusException.BadRequest("the patch did not produce an object");
        }
        catch (PatchException e)
        {
            throw new StatusException(e.Code, e.Reason, e.Message, e.IsInvalid ? new JsonObject() : null);
        }
    }

    public static IEnumerable<string> PatchTypes(ResourceType type) => type.IsCustom
        ? ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]
        : ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"];

    private JsonObject WithDefaults(ResourceType type, JsonObject obj, JsonObject? old = null, string? subresource = null)
    {
        if (old is not null) admission.PrepareForUpdate(type, obj, old, subresource);
        admission.Default(type, obj);
        return obj;
    }

    private JsonObject PrepareCreate(ObjectStore.Transaction tx, ResourceType type, string? ns, JsonObject body, WriteOptions options)
    {
        var obj = body.DeepClone().AsObject();
        var meta = ObjectMeta.Meta(obj);
        var objNs = ObjectMeta.Namespace(obj);
        if (type.Namespaced)
        {
            if (objNs.Length > 0 && ns is not null && objNs != ns)
                throw StatusException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            meta["namespace"] = ns ?? objNs;
            CheckNamespace(tx, type, ObjectMeta.Namespace(obj), ObjectMeta.Name(obj));
        }
        else meta.Remove("namespace");
        if (ObjectMeta.Name(obj).Length == 0 && ObjectMeta.Str(obj, "generateName") is { Length: > 0 } prefix)
            meta["name"] = prefix + RandomSuffix();
        if (ObjectMeta.Name(obj).Length == 0)
            throw StatusException.Invalid(type, "", [new Cause("FieldValueRequired", "Required value: name or generateName is required", "metadata.name")]);
        obj["apiVersion"] = type.ApiVersion;
        obj["kind"] = type.Kind;
        foreach (var f in new[] { "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "selfLink" })
            meta.Remove(f);
        if (options.Operation != WriteOperation.Apply) meta.Remove("managedFields");
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = ObjectMeta.Timestamp(clock.Now);
        if (GenerationRules.Tracks(type)) meta["generation"] = 1;
        if (type.HasStatus) obj.Remove("status");
        return obj;
    }

    private static void CopyServerFields(JsonObject from, JsonObject to)
    {
        var src = ObjectMeta.Meta(from);
        var dst = ObjectMeta.Meta(to);
        foreach (var f in new[] { "namespace", "name", "uid", "creationTimestamp", "generation" })
            if (src[f] is { } v) dst[f] = v.DeepClone();
        to["apiVersion"] = from["apiVersion"]?.DeepClone();
        to["kind"] = from["kind"]?.DeepClone();
    }

    private static void CheckNamespace(ObjectStore.Transaction tx, ResourceType type, string ns, string name)
    {
        if (ns.Length == 0) throw StatusException.BadRequest("the server could not find the requested resource: namespace is required");
        var nsObj = tx.Peek(new ObjectKey(new GroupResource("", "namespaces"), "", ns));
        if (nsObj is null) throw StatusException.NamespaceNotFound(ns);
        if (ObjectMeta.IsDeleting(nsObj))
            throw StatusException.Forbidden(type, name, $"unable to create new content in namespace {ns} because it is being terminated");
    }

    /// <summary>
    /// The old object with what this request may change: everything but server fields (main
    /// resource); through the status subresource, only status, or for the kinds whose status
    /// strategy resets less (<see cref="FieldManagement.TrackedFields.StatusResets"/>) everything but what it resets.
    /// </summary>
    private static JsonObject MergeIntoOld(ResourceType type, JsonObject old, JsonObject incoming, string? subresource)
    {
        JsonObject result;
        var statusResets = subresource == "status" ? FieldManagement.TrackedFields.StatusResets(type.ApiVersion, type.Kind) : null;
        if (subresource == "status" && statusResets is null)
        {
            result = old.DeepClone().AsObject();
            if (incoming["status"] is { } status) result["status"] = status.DeepClone();
            else result.Remove("status");
            if (incoming["metadata"]?["managedFields"] is { } mf) ObjectMeta.Meta(result)["managedFields"] = mf.DeepClone();
            return result;
        }
        result = incoming.DeepClone().AsObject();
        result["apiVersion"] = type.ApiVersion;
        result["kind"] = type.Kind;
        var meta = ObjectMeta.Meta(result);
        var oldMeta = ObjectMeta.Meta(old);
        foreach (var f in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "resourceVersion" })
        {
            if (oldMeta[f] is { } v) meta[f] = v.DeepClone();
            else meta.Remove(f);
        }
        if (meta["managedFields"] is null && oldMeta["managedFields"] is { } oldMf) meta["managedFields"] = oldMf.DeepClone();
        if (statusResets is not null)
        {
            foreach (var path in statusResets)
            {
                var from = path[..^1].Aggregate((JsonNode?)old, (node, name) => node?[name]);
                var into = path[..^1].Aggregate((JsonNode?)result, (node, name) => node?[name]) as JsonObject;
                if (from?[path[^1]] is { } kept && into is not null) into[path[^1]] = kept.DeepClone();
                else into?.Remove(path[^1]);
            }
            return result;
        }
        if (type.HasStatus)
        {
            if (old["status"] is { } s) result["status"] = s.DeepClone();
            else result.Remove("status");
        }
        return result;
    }

    private JsonObject Commit(ObjectStore.Transaction tx, ResourceType type, ObjectKey key, JsonObject? old, JsonObject candidate, WriteOptions options)
    {
        Policy?.Check(type, old, candidate, options);
        var causes = admission.Validate(type, candidate, old);
        if (causes.Count > 0) throw StatusException.Invalid(type, ObjectMeta.Name(candidate), causes);
        // Status strategies never move the generation (a Deployment's annotations written through /status included).
        if (old is not null && options.Subresource != "status" && GenerationRules.Bumps(type, old, candidate))
            ObjectMeta.Meta(candidate)["generation"] = (ObjectMeta.Long(old, "generation") ?? 0) + 1;
        // Stored as parsed JSON: defaulted values set from CLR ints would otherwise refuse (long?) reads.
        candidate = JsonNode.Parse(ObjectMeta.Canonical(candidate).ToJsonString())!.AsObject();
        if (old is not null && JsonNode.DeepEquals(old, candidate)) return tx.Peek(key)!.DeepClone().AsObject();
        var stored = StoredForm.ToStored(type, candidate);
        if (old is not null && ObjectMeta.IsDeleting(candidate) && ObjectMeta.Finalizers(candidate).Count == 0)
        {
            if (!options.DryRun) tx.Remove(key);
            return stored;
        }
        if (options.DryRun) return stored;
        return tx.Put(key, stored).DeepClone().AsObject();
    }

    /// <summary>A stored object (null when there is none) in the form this resource serves; never change it.</summary>
    private static JsonObject? Served(ResourceType type, JsonObject? stored) =>
        stored is null ? null : StoredForm.ToServed(type, stored);

    internal static void CheckIdentity(ResourceType type, string? ns, string name, JsonObject body)
    {
        var bodyName = ObjectMeta.Name(body);
        if (bodyName.Length > 0 && bodyName != name)
            throw StatusException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        var bodyNs = ObjectMeta.Namespace(body);
        if (type.Namespaced && bodyNs.Length > 0 && ns is not null && bodyNs != ns)
            throw StatusException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        BodyParser.CheckKind(type, body);
    }

    private static ObjectKey Key(ResourceType type, JsonObject obj) =>
        new(type.GroupResource, type.Namespaced ? ObjectMeta.Namespace(obj) : "", ObjectMeta.Name(obj));

    private const string SuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private static string RandomSuffix() =>
        new(Enumerable.Range(0, 5).Select(_ => SuffixAlphabet[RandomNumberGenerator.GetInt32(SuffixAlphabet.Length)]).ToArray());
}
