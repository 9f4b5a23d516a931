using System.Text.Json.Nodes;
using GitOps.Engine.Model;

namespace GitOps.Engine.Health.Kinds;

/// <summary>Readers shared by the per-kind checks.</summary>
internal static class HealthRead
{
    public static long Int(JsonObject obj, params string[] path) => Json.GetInt(obj, path) ?? 0;

    public static long? IntOrNull(JsonObject obj, params string[] path) => Json.GetInt(obj, path);

    public static string? Str(JsonObject obj, params string[] path) => Json.GetString(obj, path);

    /// <summary>The status condition of a type, or null.</summary>
    public static JsonObject? Condition(JsonObject obj, string type) =>
        Json.GetArray(obj, "status", "conditions")?.OfType<JsonObject>().FirstOrDefault(c => Json.GetString(c, "type") == type);

    public static bool IsTrue(JsonObject? condition) => Json.GetString(condition, "status") == "True";

    public static bool IsFalse(JsonObject? condition) => Json.GetString(condition, "status") == "False";

    public static string Message(JsonObject? condition) => Json.GetString(condition, "message") ?? Json.GetString(condition, "reason") ?? "";

    /// <summary>True when the controller has not yet seen the latest spec (status.observedGeneration &lt; metadata.generation).</summary>
    public static bool GenerationPending(JsonObject obj) =>
        IntOrNull(obj, "metadata", "generation") is { } gen && (IntOrNull(obj, "status", "observedGeneration") ?? 0) < gen;

    /// <summary>status.loadBalancer.ingress is not empty.</summary>
    public static bool HasLoadBalancerIngress(JsonObject obj) => Json.GetArray(obj, "status", "loadBalancer", "ingress") is { Count: > 0 };
}
