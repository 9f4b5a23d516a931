using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>networking.k8s.io/v1 defaults.</summary>
internal static class NetworkingDefaults
{
    public static void NetworkPolicy(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec) return;
        foreach (var direction in new[] { "ingress", "egress" })
            foreach (var rule in Json.Objects(Json.Arr(spec, direction)))
                foreach (var port in Json.Objects(Json.Arr(rule, "ports")))
                    Json.Default(port, "protocol", "TCP");
        if (Json.Arr(spec, "policyTypes") is { Count: > 0 }) return;
        var types = new JsonArray("Ingress");
        if (Json.Arr(spec, "egress") is { Count: > 0 }) types.Add((JsonNode)"Egress");
        spec["policyTypes"] = types;
    }

    /// <summary>Ingress v1 has no field defaults; the server starts with an empty load-balancer status.</summary>
    public static void Ingress(JsonObject obj)
    {
        var status = Json.Ensure(obj, "status");
        if (Json.Missing(status, "loadBalancer")) status["loadBalancer"] = new JsonObject();
    }
}

/// <summary>autoscaling/v2 defaults.</summary>
internal static class AutoscalingDefaults
{
    public static void HorizontalPodAutoscaler(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec) return;
        if (Json.Missing(spec, "minReplicas")) spec["minReplicas"] = 1;
        if (Json.Arr(spec, "metrics") is not { Count: > 0 })
        {
            spec["metrics"] = new JsonArray(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject
                {
                    ["name"] = "cpu",
                    ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = 80 },
                },
            });
        }
        if (spec["behavior"] is not JsonObject behavior) return;
        var up = Json.Ensure(behavior, "scaleUp");
        if (Json.Missing(up, "stabilizationWindowSeconds")) up["stabilizationWindowSeconds"] = 0;
        Json.Default(up, "selectPolicy", "Max");
        if (Json.Arr(up, "policies") is not { Count: > 0 })
            up["policies"] = new JsonArray(Policy("Pods", 4), Policy("Percent", 100));
        var down = Json.Ensure(behavior, "scaleDown");
        Json.Default(down, "selectPolicy", "Max");
        if (Json.Arr(down, "policies") is not { Count: > 0 })
            down["policies"] = new JsonArray(Policy("Percent", 100));
    }

    private static JsonObject Policy(string type, int value) =>
        new() { ["type"] = type, ["value"] = value, ["periodSeconds"] = 15 };
}

/// <summary>rbac.authorization.k8s.io/v1 defaults.</summary>
internal static class RbacDefaults
{
    public static void Binding(JsonObject obj)
    {
        foreach (var subject in Json.Objects(Json.Arr(obj, "subjects")))
            if (Json.Str(subject, "kind") is "User" or "Group") Json.Default(subject, "apiGroup", "rbac.authorization.k8s.io");
    }
}

/// <summary>admissionregistration.k8s.io/v1 defaults of webhook configurations.</summary>
internal static class WebhookDefaults
{
    public static void Configuration(JsonObject obj, bool mutating)
    {
        foreach (var hook in Json.Objects(Json.Arr(obj, "webhooks")))
        {
            Json.Default(hook, "failurePolicy", "Fail");
            Json.Default(hook, "matchPolicy", "Equivalent");
            if (Json.Missing(hook, "namespaceSelector")) hook["namespaceSelector"] = new JsonObject();
            if (Json.Missing(hook, "objectSelector")) hook["objectSelector"] = new JsonObject();
            if (Json.Missing(hook, "timeoutSeconds")) hook["timeoutSeconds"] = 10;
            if (mutating) Json.Default(hook, "reinvocationPolicy", "Never");
            foreach (var rule in Json.Objects(Json.Arr(hook, "rules"))) Json.Default(rule, "scope", "*");
            if (Json.Obj(Json.Obj(hook, "clientConfig"), "service") is { } service && Json.Missing(service, "port"))
                service["port"] = 443;
        }
    }
}
