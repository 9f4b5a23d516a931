using System.Text.Json.Nodes;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

public readonly record struct Cause(string Reason, string Message, string Field);

/// <summary>Defaulting, pruning and validation of an object before it is stored.</summary>
public interface IObjectAdmission
{
    /// <summary>Fills defaults (and, for custom resources, prunes unknown fields) in place.</summary>
    void Default(ResourceType type, JsonObject obj);

    /// <summary>
    /// After field management has recorded a create: what the kind's create strategy sets that no
    /// manager owns (a Namespace's "kubernetes" finalizer).
    /// </summary>
    void PrepareForCreate(ResourceType type, JsonObject obj) { }

    /// <summary>
    /// Before an update is defaulted: what the kind's update strategy carries over from the stored
    /// object <paramref name="old"/> (a Service's allocated cluster IPs and node ports, a
    /// Namespace's finalizers but through <c>finalize</c>); <paramref name="subresource"/> is the one written.
    /// </summary>
    void PrepareForUpdate(ResourceType type, JsonObject obj, JsonObject old, string? subresource) { }

    /// <summary>The causes of a 422 Invalid answer, in the apiserver's order; <paramref name="old"/> is the stored object of an update.</summary>
    IReadOnlyList<Cause> Validate(ResourceType type, JsonObject obj, JsonObject? old);
}

/// <summary>managedFields bookkeeping: Update operations and server-side apply.</summary>
public interface IFieldManagement
{
    JsonObject TrackUpdate(ResourceType type, JsonObject? live, JsonObject updated, string manager, string? subresource, DateTimeOffset now);

    /// <summary>The merged object with its managedFields, or a Conflict StatusException.</summary>
    JsonObject Apply(ResourceType type, JsonObject? live, JsonObject applied, string manager, bool force, string? subresource, DateTimeOffset now);
}
