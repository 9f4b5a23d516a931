using System.Text.Json.Nodes;
using GitOps.Sandbox.Patching;
using GitOps.Sandbox.Schema;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>managedFields through the structured-merge-diff implementation in FieldManagement.</summary>
public sealed class SandboxFieldManagement(ISchemaProvider schemas) : IFieldManagement
{
    public JsonObject TrackUpdate(ResourceType type, JsonObject? live, JsonObject updated, string manager, string? subresource, DateTimeOffset now) => updated;

    public JsonObject Apply(ResourceType type, JsonObject? live, JsonObject applied, string manager, bool force, string? subresource, DateTimeOffset now)
    {
        _ = schemas;
        return live is null ? applied.DeepClone().AsObject() : (JsonObject)MergePatch.Apply(live.DeepClone(), applied)!;
    }
}
