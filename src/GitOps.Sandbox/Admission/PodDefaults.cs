using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>Pod and pod template defaults (core/v1 SetDefaults_PodSpec, _Container, _Volume, ...).</summary>
internal static class PodDefaults
{
    private const string TokenMountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>A pod template (spec.template of workloads): only the scheme defaults of the pod spec.</summary>
    public static void ApplyTemplate(JsonObject template)
    {
        if (template["spec"] is JsonObject spec) PodSpec(spec);
    }

    /// <summary>A Pod: scheme defaults, then what the default admission plugins add.</summary>
    public static void ApplyPod(JsonObject pod, IAllocator allocator)
    {
        if (pod["spec"] is not JsonObject spec) return;
        PodSpec(spec);
        if (Json.Missing(spec, "enableServiceLinks")) spec["enableServiceLinks"] = true;
        foreach (var c in AllContainers(spec)) CopyLimitsToRequests(c);

        // ServiceAccount admission.
        Json.Default(spec, "serviceAccountName", Json.Str(spec, "serviceAccount") is { Length: > 0 } legacy ? legacy : "default");
        spec["serviceAccount"] = Json.Str(spec, "serviceAccountName");
        if (Json.Bool(spec, "automountServiceAccountToken") != false) MountServiceAccountToken(spec, allocator);

        // DefaultTolerationSeconds admission.
        AddDefaultToleration(spec, "node.kubernetes.io/not-ready");
        AddDefaultToleration(spec, "node.kubernetes.io/unreachable");

        // Priority admission (no global default PriorityClass).
        var priorityClass = Json.Str(spec, "priorityClassName") ?? "";
        long? priority = priorityClass switch
        {
            "" => 0,
            "system-cluster-critical" => 2000000000,
            "system-node-critical" => 2000001000,
            _ => null,
        };
        if (priority is { } p && Json.Missing(spec, "priority")) spec["priority"] = p;
        if (priority is not null) Json.Default(spec, "preemptionPolicy", "PreemptLowerPriority");

        var status = Json.Ensure(pod, "status");
        Json.Default(status, "phase", "Pending");
        Json.Default(status, "qosClass", QosClass(spec));
    }

    public static void PodSpec(JsonObject spec)
    {
        Json.Default(spec, "restartPolicy", "Always");
        if (Json.Missing(spec, "terminationGracePeriodSeconds")) spec["terminationGracePeriodSeconds"] = 30;
        Json.Default(spec, "dnsPolicy", "ClusterFirst");
        if (Json.Missing(spec, "securityContext")) spec["securityContext"] = new JsonObject();
        Json.Default(spec, "schedulerName", "default-scheduler");
        var hostNetwork = Json.Bool(spec, "hostNetwork") == true;
        foreach (var c in AllContainers(spec)) Container(c, hostNetwork);
        foreach (var v in Json.Objects(Json.Arr(spec, "volumes"))) Volume(v);
    }

    public static IEnumerable<JsonObject> AllContainers(JsonObject spec) =>
        Json.Objects(Json.Arr(spec, "initContainers"))
            .Concat(Json.Objects(Json.Arr(spec, "containers")))
            .Concat(Json.Objects(Json.Arr(spec, "ephemeralContainers")));

    private static void Container(JsonObject c, bool hostNetwork)
    {
        foreach (var port in Json.Objects(Json.Arr(c, "ports")))
        {
            Json.Default(port, "protocol", "TCP");
            if (hostNetwork && (Json.Long(port, "hostPort") ?? 0) == 0 && port["containerPort"] is { } cp)
                port["hostPort"] = cp.DeepClone();
        }
        foreach (var env in Json.Objects(Json.Arr(c, "env")))
            if (Json.Obj(Json.Obj(env, "valueFrom"), "fieldRef") is { } fieldRef) Json.Default(fieldRef, "apiVersion", "v1");
        if (Json.Missing(c, "resources")) c["resources"] = new JsonObject();
        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
            if (c[probe] is JsonObject p) Probe(p);
        if (Json.Obj(c, "lifecycle") is { } lifecycle)
            foreach (var hook in new[] { "postStart", "preStop" })
                if (Json.Obj(Json.Obj(lifecycle, hook), "httpGet") is { } get) HttpGet(get);
        Json.Default(c, "terminationMessagePath", "/dev/termination-log");
        Json.Default(c, "terminationMessagePolicy", "File");
        Json.Default(c, "imagePullPolicy", ImageTag(Json.Str(c, "image") ?? "") == "latest" ? "Always" : "IfNotPresent");
    }

    private static void Probe(JsonObject p)
    {
        if (Json.Missing(p, "timeoutSeconds")) p["timeoutSeconds"] = 1;
        if (Json.Missing(p, "periodSeconds")) p["periodSeconds"] = 10;
        if (Json.Missing(p, "successThreshold")) p["successThreshold"] = 1;
        if (Json.Missing(p, "failureThreshold")) p["failureThreshold"] = 3;
        if (Json.Obj(p, "httpGet") is { } get) HttpGet(get);
    }

    private static void HttpGet(JsonObject get)
    {
        Json.Default(get, "path", "/");
        Json.Default(get, "scheme", "HTTP");
    }

    /// <summary>The tag of an image reference as docker's parser sees it: "latest" when neither tag nor digest is given.</summary>
    internal static string ImageTag(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var withoutDigest = at >= 0 ? image[..at] : image;
        var slash = withoutDigest.LastIndexOf('/');
        var colon = withoutDigest.LastIndexOf(':');
        if (colon > slash) return withoutDigest[(colon + 1)..];
        return at >= 0 ? "" : "latest";
    }

    private static readonly string[] VolumeSources =
    [
        "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi",
        "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc",
        "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected",
        "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral",
    ];

    private static void Volume(JsonObject v)
    {
        if (!VolumeSources.Any(s => v[s] is not null)) v["emptyDir"] = new JsonObject();
        foreach (var source in new[] { "secret", "configMap", "downwardAPI", "projected" })
            if (v[source] is JsonObject s && Json.Missing(s, "defaultMode")) s["defaultMode"] = 420;
        if (Json.Obj(v, "hostPath") is { } hostPath && Json.Missing(hostPath, "type")) hostPath["type"] = "";
        DownwardApiItems(Json.Obj(v, "downwardAPI"));
        foreach (var source in Json.Objects(Json.Arr(Json.Obj(v, "projected"), "sources")))
        {
            DownwardApiItems(Json.Obj(source, "downwardAPI"));
            if (Json.Obj(source, "serviceAccountToken") is { } token && Json.Missing(token, "expirationSeconds"))
                token["expirationSeconds"] = 3600;
        }
        if (Json.Obj(Json.Obj(Json.Obj(v, "ephemeral"), "volumeClaimTemplate"), "spec") is { } pvcSpec)
            Json.Default(pvcSpec, "volumeMode", "Filesystem");
    }

    private static void DownwardApiItems(JsonObject? downward)
    {
        foreach (var item in Json.Objects(Json.Arr(downward, "items")))
            if (Json.Obj(item, "fieldRef") is { } fieldRef) Json.Default(fieldRef, "apiVersion", "v1");
    }

    private static void CopyLimitsToRequests(JsonObject c)
    {
        if (Json.Obj(Json.Obj(c, "resources"), "limits") is not { Count: > 0 } limits) return;
        var requests = Json.Ensure((JsonObject)c["resources"]!, "requests");
        foreach (var (k, v) in limits) if (!requests.ContainsKey(k)) requests[k] = v?.DeepClone();
    }

    private static void MountServiceAccountToken(JsonObject spec, IAllocator allocator)
    {
        var containers = AllContainers(spec).Where(c => c.Parent == spec["containers"] || c.Parent == spec["initContainers"]).ToList();
        bool Mounted(JsonObject c) => Json.Objects(Json.Arr(c, "volumeMounts")).Any(m => Json.Str(m, "mountPath") == TokenMountPath);
        var needing = containers.Where(c => !Mounted(c)).ToList();
        if (needing.Count == 0) return;
        var name = "kube-api-access-" + allocator.RandomSuffix();
        var volumes = spec["volumes"] as JsonArray ?? [];
        spec["volumes"] = volumes;
        volumes.Add((JsonNode)new JsonObject
        {
            ["name"] = name,
            ["projected"] = new JsonObject
            {
                ["sources"] = new JsonArray
                {
                    (JsonNode)new JsonObject { ["serviceAccountToken"] = new JsonObject { ["expirationSeconds"] = 3607, ["path"] = "token" } },
                    (JsonNode)new JsonObject
                    {
                        ["configMap"] = new JsonObject
                        {
                            ["name"] = "kube-root-ca.crt",
                            ["items"] = new JsonArray { (JsonNode)new JsonObject { ["key"] = "ca.crt", ["path"] = "ca.crt" } },
                        },
                    },
                    (JsonNode)new JsonObject
                    {
                        ["downwardAPI"] = new JsonObject
                        {
                            ["items"] = new JsonArray
                            {
                                (JsonNode)new JsonObject
                                {
                                    ["path"] = "namespace",
                                    ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.namespace" },
                                },
                            },
                        },
                    },
                },
                ["defaultMode"] = 420,
            },
        });
        foreach (var c in needing)
        {
            var mounts = c["volumeMounts"] as JsonArray ?? [];
            c["volumeMounts"] = mounts;
            mounts.Add((JsonNode)new JsonObject { ["name"] = name, ["readOnly"] = true, ["mountPath"] = TokenMountPath });
        }
    }

    private static void AddDefaultToleration(JsonObject spec, string key)
    {
        var tolerations = Json.Arr(spec, "tolerations");
        var tolerated = Json.Objects(tolerations).Any(t =>
        {
            var effect = Json.Str(t, "effect") ?? "";
            var tKey = Json.Str(t, "key") ?? "";
            var op = Json.Str(t, "operator") ?? "Equal";
            return (effect is "" or "NoExecute") && (tKey == key || (tKey.Length == 0 && op == "Exists"));
        });
        if (tolerated) return;
        tolerations ??= [];
        spec["tolerations"] = tolerations;
        tolerations.Add((JsonNode)new JsonObject
        {
            ["key"] = key,
            ["operator"] = "Exists",
            ["effect"] = "NoExecute",
            ["tolerationSeconds"] = 300,
        });
    }

    private static string QosClass(JsonObject spec)
    {
        var containers = Json.Objects(Json.Arr(spec, "containers")).Concat(Json.Objects(Json.Arr(spec, "initContainers"))).ToList();
        var any = false;
        var guaranteed = true;
        foreach (var c in containers)
        {
            var requests = Json.Obj(Json.Obj(c, "resources"), "requests");
            var limits = Json.Obj(Json.Obj(c, "resources"), "limits");
            if (requests is { Count: > 0 } || limits is { Count: > 0 }) any = true;
            foreach (var r in new[] { "cpu", "memory" })
            {
                var limit = limits?[r]?.ToJsonString();
                var request = requests?[r]?.ToJsonString();
                if (limit is null || (request is not null && request != limit)) guaranteed = false;
            }
        }
        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }
}
