using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Infrastructure;
using k8s;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>
/// Update validation of immutable fields (kube-apiserver 1.26): every way of writing an object
/// (PUT, JSON merge, strategic merge and JSON patch, server-side apply) that changes an immutable
/// field is refused with 422 Invalid, the field errors kube-apiserver gives, and the stored object
/// untouched; the changes a kind allows still go through.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ImmutableFieldsTests(ApiTarget target)
{
    private const string Manager = "immutable-test";
    private const string Immutable = "field is immutable";
    private const string WhenImmutable = "field is immutable when `immutable` is set";
    private const string PvcForbidden = "Forbidden: spec is immutable after creation except resources.requests for bound claims\n...";
    private const string PodForbidden = "Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations) or `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n...";

    private static readonly string[] AllVerbs = ["update", "merge", "strategic", "json", "apply"];

    private const string DeploymentJson = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
         "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}}}
        """;

    private const string NewSelector = """{"spec":{"selector":{"matchLabels":{"app":"web2"}},"template":{"metadata":{"labels":{"app":"web2"}}}}}""";

    private const string SelectorValue = "v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}";

    private const string StatefulSetJson = """
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},"spec":{"serviceName":"db","replicas":1,"selector":{"matchLabels":{"app":"db"}},
         "template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}}}
        """;

    private const string JobJson = """
        {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"once"},"spec":{"backoffLimit":1,
         "template":{"spec":{"restartPolicy":"Never","containers":[{"name":"app","image":"busybox:1.36"}]}}}}
        """;

    private const string PvcJson = """
        {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data"},
         "spec":{"storageClassName":"immutable-test-none","accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}
        """;

    private const string PodJson = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"pod"},"spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}
        """;

    /// <summary>
    /// One object, one change. Causes are "reason|field|message"; a message ending in "..." is a
    /// prefix (what follows differs on every run or from cluster to cluster). Code 200: allowed.
    /// </summary>
    private sealed record Case(string Resource, string Kind, string Group, string Object, string Patch, int Code, string[] Causes, string[]? Verbs = null);

    private static readonly Dictionary<string, Case> Cases = new(StringComparer.Ordinal)
    {
        ["Deployment selector"] = new("apis/apps/v1/deployments", "Deployment", "apps", DeploymentJson, NewSelector, 422,
            [$"FieldValueInvalid|spec.selector|Invalid value: {SelectorValue}: {Immutable}"]),
        ["Deployment replicas (allowed)"] = new("apis/apps/v1/deployments", "Deployment", "apps", DeploymentJson, """{"spec":{"replicas":3}}""", 200, []),
        ["ReplicaSet selector"] = new("apis/apps/v1/replicasets", "ReplicaSet", "apps", DeploymentJson.Replace("\"Deployment\"", "\"ReplicaSet\"", StringComparison.Ordinal), NewSelector, 422,
            [$"FieldValueInvalid|spec.selector|Invalid value: {SelectorValue}: {Immutable}"]),
        ["DaemonSet selector"] = new("apis/apps/v1/daemonsets", "DaemonSet", "apps", DeploymentJson.Replace("\"Deployment\"", "\"DaemonSet\"", StringComparison.Ordinal).Replace("\"replicas\":1,", "", StringComparison.Ordinal), NewSelector, 422,
            [$"FieldValueInvalid|spec.selector|Invalid value: {SelectorValue}: {Immutable}"]),
        ["StatefulSet serviceName"] = new("apis/apps/v1/statefulsets", "StatefulSet", "apps", StatefulSetJson, """{"spec":{"serviceName":"db2"}}""", 422,
            ["FieldValueForbidden|spec|Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"]),
        ["StatefulSet template and replicas (allowed)"] = new("apis/apps/v1/statefulsets", "StatefulSet", "apps", StatefulSetJson,
            """{"spec":{"replicas":2,"minReadySeconds":5,"template":{"metadata":{"annotations":{"rev":"2"}}}}}""", 200, []),
        ["Job template"] = new("apis/batch/v1/jobs", "Job", "batch", JobJson, """{"spec":{"template":{"metadata":{"annotations":{"rev":"2"}}}}}""", 422,
            ["FieldValueInvalid|spec.template|Invalid value: core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{Name:\"\", GenerateName:\"\", Namespace:\"\", SelfLink:\"\", UID:\"\", ResourceVersion:\"\", Generation:0, CreationTimestamp:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), DeletionTimestamp:<nil>, DeletionGracePeriodSeconds:(*int64)(nil), Labels:map[string]string{...",
             ]),
        ["Job completions"] = new("apis/batch/v1/jobs", "Job", "batch", JobJson, """{"spec":{"completions":3}}""", 422,
            [$"FieldValueInvalid|spec.completions|Invalid value: 3: {Immutable}"]),
        ["Job parallelism and backoffLimit (allowed)"] = new("apis/batch/v1/jobs", "Job", "batch", JobJson, """{"spec":{"parallelism":2,"backoffLimit":2}}""", 200, []),
        ["ConfigMap immutable data"] = new("api/v1/configmaps", "ConfigMap", "", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"frozen"},"immutable":true,"data":{"a":"1"}}""",
            """{"data":{"a":"2"}}""", 422, [$"FieldValueForbidden|data|Forbidden: {WhenImmutable}"]),
        ["ConfigMap immutable unset"] = new("api/v1/configmaps", "ConfigMap", "", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"frozen"},"immutable":true,"data":{"a":"1"}}""",
            """{"immutable":false}""", 422, [$"FieldValueForbidden|immutable|Forbidden: {WhenImmutable}"]),
        ["ConfigMap immutable labels (allowed)"] = new("api/v1/configmaps", "ConfigMap", "", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"frozen"},"immutable":true,"data":{"a":"1"}}""",
            """{"metadata":{"labels":{"tier":"web"}}}""", 200, []),
        ["Secret immutable stringData"] = new("api/v1/secrets", "Secret", "", """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"sealed"},"immutable":true,"stringData":{"a":"1"}}""",
            """{"stringData":{"a":"2"}}""", 422, [$"FieldValueForbidden|data|Forbidden: {WhenImmutable}"], ["update", "merge", "strategic", "apply"]),
        ["Secret type"] = new("api/v1/secrets", "Secret", "", """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"typed"},"type":"example.com/first","data":{"a":"MQ=="}}""",
            """{"type":"example.com/second"}""", 422, [$"FieldValueInvalid|type|Invalid value: \"example.com/second\": {Immutable}"]),
        ["PersistentVolumeClaim accessModes"] = new("api/v1/persistentvolumeclaims", "PersistentVolumeClaim", "", PvcJson,
            """{"spec":{"accessModes":["ReadWriteMany"]}}""", 422, [$"FieldValueForbidden|spec|{PvcForbidden}"]),
        ["PersistentVolumeClaim size of an unbound claim"] = new("api/v1/persistentvolumeclaims", "PersistentVolumeClaim", "", PvcJson,
            """{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}""", 422, [$"FieldValueForbidden|spec|{PvcForbidden}"]),
        ["Pod container ports"] = new("api/v1/pods", "Pod", "", PodJson,
            """{"spec":{"containers":[{"name":"app","image":"nginx:1.27","ports":[{"containerPort":8080}]}]}}""", 422, [$"FieldValueForbidden|spec|{PodForbidden}"], ["strategic", "apply"]),
        ["Pod added container"] = new("api/v1/pods", "Pod", "", PodJson,
            """{"spec":{"containers":[{"name":"app","image":"nginx:1.27"},{"name":"side","image":"busybox:1.36"}]}}""", 422,
            ["FieldValueForbidden|spec.containers|Forbidden: pod updates may not add or remove containers"], ["strategic", "apply"]),
        ["Pod image (allowed)"] = new("api/v1/pods", "Pod", "", PodJson,
            """{"spec":{"containers":[{"name":"app","image":"nginx:1.28"}]}}""", 200, [], ["strategic", "apply"]),
        ["RoleBinding roleRef"] = new("apis/rbac.authorization.k8s.io/v1/rolebindings", "RoleBinding", "rbac.authorization.k8s.io",
            """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"rb"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},"subjects":[{"kind":"User","name":"alice","apiGroup":"rbac.authorization.k8s.io"}]}""",
            """{"roleRef":{"name":"edit"}}""", 422,
            ["FieldValueInvalid|roleRef|Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef"]),
        ["Object uid"] = new("api/v1/configmaps", "ConfigMap", "", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":"1"}}""",
            """{"metadata":{"uid":"00000000-0000-0000-0000-000000000001"}}""", 422,
            [$"FieldValueInvalid|metadata.uid|Invalid value: \"00000000-0000-0000-0000-000000000001\": {Immutable}",
             $"FieldValueInvalid|metadata.uid|Invalid value: \"00000000-0000-0000-0000-000000000001\": {Immutable}"], ["merge", "strategic", "json"]),
    };

    public static TheoryData<string, string> Update_TestData()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, c) in Cases)
            foreach (var verb in c.Verbs ?? AllVerbs)
                data.Add(name, verb);
        return data;
    }

    [Theory]
    [MemberData(nameof(Update_TestData))]
    public async Task Update_ImmutableField_IsInvalidAndNothingIsStored(string caseName, string verb)
    {
        var c = Cases[caseName];
        var ns = await target.NewNamespaceAsync("imm");
        var obj = JsonNode.Parse(c.Object)!.AsObject();
        var name = (string)obj["metadata"]!["name"]!;
        var path = ObjectPath(c, ns, name);
        await SendAsync(HttpMethod.Patch, $"{path}?fieldManager={Manager}", c.Object, "application/apply-patch+yaml", HttpStatusCode.Created);
        var before = await SendAsync(HttpMethod.Get, path, null, null, HttpStatusCode.OK);

        var (status, body) = await WriteAsync(verb, path, obj, JsonNode.Parse(c.Patch)!.AsObject());

        Assert.True(c.Code == (int)status, $"{caseName} {verb}: expected {c.Code}, got {(int)status}: {body}");
        if (c.Code != 422) return;
        AssertInvalid(JsonNode.Parse(body)!, c.Kind, c.Group, name, c.Causes);
        var after = await SendAsync(HttpMethod.Get, path, null, null, HttpStatusCode.OK);
        Assert.Equal(Written(before).ToJsonString(), Written(after).ToJsonString());
        // Workload controllers may write status (a new resourceVersion) meanwhile; nothing else does.
        if (c.Kind is "ConfigMap" or "Secret" or "RoleBinding")
            Assert.Equal((string?)before["metadata"]!["resourceVersion"], (string?)after["metadata"]!["resourceVersion"]);
    }

    /// <summary>What a client's write sets: the object without status and the server's bookkeeping (resourceVersion, managedFields, controller annotations).</summary>
    private static JsonObject Written(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        copy.Remove("status");
        var metadata = copy["metadata"]!.AsObject();
        metadata.Remove("resourceVersion");
        metadata.Remove("managedFields");
        metadata.Remove("annotations");
        return copy;
    }

    [Fact]
    public async Task Update_ServiceClusterIp_MayNotChangeButAnEmptyOneKeepsIt()
    {
        var ns = await target.NewNamespaceAsync("imm");
        var path = $"/api/v1/namespaces/{ns}/services/svc";
        var created = await SendAsync(HttpMethod.Patch, $"{path}?fieldManager={Manager}",
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"svc"},"spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}""",
            "application/apply-patch+yaml", HttpStatusCode.Created);
        var ip = (string)created["spec"]!["clusterIP"]!;
        var octets = ip.Split('.');
        octets[3] = octets[3] == "200" ? "201" : "200";
        var other = string.Join('.', octets);

        foreach (var verb in AllVerbs)
        {
            var (status, body) = await WriteAsync(verb, path, JsonNode.Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"svc"},"spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}""")!.AsObject(),
                JsonNode.Parse($$$"""{"spec":{"clusterIP":"{{{other}}}","clusterIPs":["{{{other}}}"]}}""")!.AsObject());
            Assert.True(status == HttpStatusCode.UnprocessableEntity, $"{verb}: {body}");
            AssertInvalid(JsonNode.Parse(body)!, "Service", "", "svc", [$"FieldValueInvalid|spec.clusterIPs[0]|Invalid value: []string{{\"{other}\"}}: may not change once set"]);
        }

        // A PUT of the object as first written (no clusterIP) keeps the allocated one.
        var current = await SendAsync(HttpMethod.Get, path, null, null, HttpStatusCode.OK);
        var spec = current["spec"]!.AsObject();
        spec["clusterIP"] = "";
        spec.Remove("clusterIPs");
        spec["ports"]![0]!["name"] = "http";
        var replaced = await SendAsync(HttpMethod.Put, path, current.ToJsonString(), "application/json", HttpStatusCode.OK);
        Assert.Equal(ip, (string?)replaced["spec"]!["clusterIP"]);
        Assert.Equal(ip, (string?)replaced["spec"]!["clusterIPs"]![0]);
    }

    [Fact]
    public async Task Update_OtherUidInBody_IsAPreconditionConflict()
    {
        var ns = await target.NewNamespaceAsync("imm");
        var path = $"/api/v1/namespaces/{ns}/configmaps/cm";
        var created = await SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":"1"}}""", "application/json", HttpStatusCode.Created);
        var uid = (string)created["metadata"]!["uid"]!;
        created["metadata"]!["uid"] = "00000000-0000-0000-0000-000000000001";

        var (status, body, _) = await Conform.RawAsync(Client, HttpMethod.Put, path, created.ToJsonString());

        Assert.Equal(HttpStatusCode.Conflict, status);
        var result = JsonNode.Parse(body)!;
        Assert.Equal("Conflict", (string?)result["reason"]);
        Assert.Equal($"Operation cannot be fulfilled on configmaps \"cm\": StorageError: invalid object, Code: 4, Key: /registry/configmaps/{ns}/cm, ResourceVersion: 0, "
            + $"AdditionalErrorMsg: Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000001, UID in object meta: {uid}", (string?)result["message"]);
    }

    private Kubernetes Client => target.Client;

    private static string ObjectPath(Case c, string ns, string name)
    {
        var parts = c.Resource.Split('/');
        return $"/{string.Join('/', parts[..^1])}/namespaces/{ns}/{parts[^1]}/{name}";
    }

    /// <summary>Writes <paramref name="patch"/> (a JSON merge patch) to the object with <paramref name="verb"/>.</summary>
    private async Task<(HttpStatusCode, string)> WriteAsync(string verb, string path, JsonObject applied, JsonObject patch)
    {
        switch (verb)
        {
            case "update":
                return await PutOverLatestAsync(path, patch);
            case "apply":
                var (applyStatus, applyBody, _) = await Conform.RawAsync(Client, HttpMethod.Patch, $"{path}?fieldManager={Manager}",
                    Conform.MergePatch(applied.DeepClone(), patch).ToJsonString(), "application/apply-patch+yaml");
                return (applyStatus, applyBody);
            case "json":
                var live = await SendAsync(HttpMethod.Get, path, null, null, HttpStatusCode.OK);
                var ops = new JsonArray();
                JsonPatchOps(live, patch, "", ops);
                var (jsonStatus, jsonBody, _) = await Conform.RawAsync(Client, HttpMethod.Patch, path, ops.ToJsonString(), "application/json-patch+json");
                return (jsonStatus, jsonBody);
            default:
                var (status, body, _) = await Conform.RawAsync(Client, HttpMethod.Patch, path, patch.ToJsonString(),
                    verb == "merge" ? "application/merge-patch+json" : "application/strategic-merge-patch+json");
                return (status, body);
        }
    }

    /// <summary>
    /// A read-modify-write PUT of the object with <paramref name="patch"/> merged in. A real cluster's
    /// controller may write the object's status between the GET and the PUT, whose resourceVersion then
    /// fails with 409 Conflict: the write is read and sent again, a few times at most.
    /// </summary>
    private async Task<(HttpStatusCode, string)> PutOverLatestAsync(string path, JsonObject patch)
    {
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var current = await SendAsync(HttpMethod.Get, path, null, null, HttpStatusCode.OK);
            var (status, body, _) = await Conform.RawAsync(Client, HttpMethod.Put, path, Conform.MergePatch(current, patch).ToJsonString());
            if (!IsStaleResourceVersion(status, body) || attempt == attempts) return (status, body);
        }
    }

    private static bool IsStaleResourceVersion(HttpStatusCode status, string body) =>
        status == HttpStatusCode.Conflict && (string?)JsonNode.Parse(body)?["reason"] == "Conflict";

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, string? contentType, HttpStatusCode expected)
    {
        var (status, text, _) = await Conform.RawAsync(Client, method, path, body, contentType ?? "application/json");
        Assert.True(expected == status, $"{method} {path}: expected {(int)expected}, got {(int)status}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }


    /// <summary>The JSON patch operations that do what the merge patch does to <paramref name="live"/>.</summary>
    private static void JsonPatchOps(JsonNode? live, JsonObject patch, string prefix, JsonArray ops)
    {
        foreach (var (k, v) in patch)
        {
            var path = $"{prefix}/{k.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
            if (v is JsonObject nested && live?[k] is JsonObject) JsonPatchOps(live[k], nested, path, ops);
            else if (v is null) ops.Add(new JsonObject { ["op"] = "remove", ["path"] = path });
            else ops.Add(new JsonObject { ["op"] = "add", ["path"] = path, ["value"] = v.DeepClone() });
        }
    }

    /// <summary>A 422 Invalid Status with these causes (see <see cref="Case"/>) and the message kube-apiserver aggregates from them.</summary>
    private static void AssertInvalid(JsonNode status, string kind, string group, string name, string[] causes)
    {
        Assert.Equal(422, (int)status["code"]!);
        Assert.Equal("Invalid", (string?)status["reason"]);
        Assert.Equal(kind, (string?)status["details"]?["kind"]);
        Assert.Equal(group.Length == 0 ? null : group, (string?)status["details"]?["group"]);
        Assert.Equal(name, (string?)status["details"]?["name"]);
        var actual = status["details"]!["causes"]!.AsArray();
        Assert.True(causes.Length == actual.Count, $"expected {causes.Length} causes: {status.ToJsonString()}");
        var lines = new List<string>();
        for (var i = 0; i < causes.Length; i++)
        {
            var (reason, field, message) = (causes[i].Split('|')[0], causes[i].Split('|')[1], string.Join('|', causes[i].Split('|')[2..]));
            Assert.Equal(reason, (string?)actual[i]!["reason"]);
            Assert.Equal(field, (string?)actual[i]!["field"]);
            var text = (string?)actual[i]!["message"] ?? "";
            if (message.EndsWith("...", StringComparison.Ordinal)) Assert.StartsWith(message[..^3], text, StringComparison.Ordinal);
            else Assert.Equal(message, text);
            if (field == "spec.template") Assert.EndsWith($"}}: {Immutable}", text, StringComparison.Ordinal);
            var line = $"{field}: {text}";
            if (!lines.Contains(line)) lines.Add(line);
        }
        var head = $"{(group.Length == 0 ? kind : $"{kind}.{group}")} \"{name}\" is invalid: ";
        Assert.Equal(head + (lines.Count == 1 ? lines[0] : $"[{string.Join(", ", lines)}]"), (string?)status["message"]);
    }
}
