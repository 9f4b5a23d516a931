using System.Text.Json.Nodes;
using GitOps.Sandbox.FieldManagement;
using GitOps.Sandbox.Schema;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>managedFields through the structured-merge-diff implementation in FieldManagement.</summary>
public sealed class SandboxFieldManagement(ISchemaProvider schemas) : IFieldManagement
{
    public JsonObject TrackUpdate(ResourceType type, JsonObject? live, JsonObject updated, string manager, string? subresource, DateTimeOffset now) =>
        FieldManager.Update(live, updated, manager, now, SchemaOf(type), subresource);

    public JsonObject Apply(ResourceType type, JsonObject? live, JsonObject applied, string manager, bool force, string? subresource, DateTimeOffset now)
    {
        var outcome = FieldManager.Apply(live, applied, manager, force, SchemaOf(type), now, subresource);
        if (outcome.Conflicts.Count > 0 || outcome.Result is null)
        {
            var status = outcome.ConflictStatus();
            throw new StatusException(409, "Conflict", (string?)status?["message"] ?? outcome.ConflictMessage ?? "Apply failed", status?["details"]?.DeepClone() as JsonObject);
        }
        return outcome.Result;
    }

    private SchemaNode SchemaOf(ResourceType type) => schemas.Find(type.Group, type.Version, type.Kind) ?? SchemaNode.Unknown;
}
