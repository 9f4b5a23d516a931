using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>core/v1 SetDefaults_Service, and what the Service registry allocates.</summary>
internal static class ServiceDefaults
{
    public static void Apply(JsonObject obj)
    {
        var spec = Json.Ensure(obj, "spec");
        Json.Default(spec, "sessionAffinity", "None");
        if (Json.Str(spec, "sessionAffinity") == "ClientIP")
        {
            var clientIp = Json.Ensure(Json.Ensure(spec, "sessionAffinityConfig"), "clientIP");
            if (Json.Missing(clientIp, "timeoutSeconds")) clientIp["timeoutSeconds"] = 10800;
        }
        Json.Default(spec, "type", "ClusterIP");
        var type = Json.Str(spec, "type")!;
        foreach (var port in Json.Objects(Json.Arr(spec, "ports")))
        {
            Json.Default(port, "protocol", "TCP");
            var target = port["targetPort"];
            var unset = target is null
                || (target is JsonValue v && v.GetValueKind() == JsonValueKind.Number && Json.AsLong(v) == 0)
                || (target is JsonValue s && s.GetValueKind() == JsonValueKind.String && s.GetValue<string>().Length == 0);
            if (unset && port["port"] is { } p) port["targetPort"] = p.DeepClone();
        }
        if (type is "NodePort" or "LoadBalancer") Json.Default(spec, "externalTrafficPolicy", "Cluster");
        if (type != "ExternalName") Json.Default(spec, "internalTrafficPolicy", "Cluster");
        if (type == "LoadBalancer" && Json.Missing(spec, "allocateLoadBalancerNodePorts")) spec["allocateLoadBalancerNodePorts"] = true;

        var status = Json.Ensure(obj, "status");
        if (Json.Missing(status, "loadBalancer")) status["loadBalancer"] = new JsonObject();
    }

    /// <summary>
    /// What the Service registry allocates (on create, after field management; on update, what a new
    /// type needs): cluster IPs and IP families, node ports, the health check node port.
    /// </summary>
    public static void Allocate(JsonObject obj, IAllocator allocator)
    {
        if (obj["spec"] is not JsonObject spec) return;
        var type = Json.Str(spec, "type") ?? "ClusterIP";
        if (type != "ExternalName") AllocateIps(spec, allocator);
        if (type == "NodePort" || (type == "LoadBalancer" && Json.Bool(spec, "allocateLoadBalancerNodePorts") != false))
            foreach (var port in Json.Objects(Json.Arr(spec, "ports")))
                if ((Json.Long(port, "nodePort") ?? 0) == 0) port["nodePort"] = allocator.NextNodePort();
        if (type == "LoadBalancer" && Json.Str(spec, "externalTrafficPolicy") == "Local" && (Json.Long(spec, "healthCheckNodePort") ?? 0) == 0)
            spec["healthCheckNodePort"] = allocator.NextNodePort();
    }

    private static void AllocateIps(JsonObject spec, IAllocator allocator)
    {
        var clusterIp = Json.Str(spec, "clusterIP") ?? "";
        if (clusterIp.Length == 0 && Json.Arr(spec, "clusterIPs") is { Count: > 0 } ips && ips[0] is JsonValue first)
            clusterIp = first.GetValue<string>();
        if (clusterIp.Length == 0) clusterIp = allocator.NextClusterIp();
        spec["clusterIP"] = clusterIp;
        if (Json.Arr(spec, "clusterIPs") is not { Count: > 0 }) spec["clusterIPs"] = new JsonArray(clusterIp);
        if (Json.Arr(spec, "ipFamilies") is not { Count: > 0 }) spec["ipFamilies"] = new JsonArray("IPv4");
        Json.Default(spec, "ipFamilyPolicy", "SingleStack");
    }
}
