using System.Text;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Protobuf;
using GitOps.Sandbox.Store;
using Xunit.Abstractions;

namespace GitOps.Sandbox.Tests.Protobuf;

/// <summary>
/// Protobuf request bodies built as client-go's generated marshalers write them (every non-pointer
/// field written, zero or not) decode to the JSON object the JSON path gets for the same object.
/// </summary>
public sealed class ProtobufDecoderTests(ITestOutputHelper output)
{
    private static readonly ResourceType Secrets = Type("", "v1", "secrets", "Secret", true);
    private static readonly ResourceType ConfigMaps = Type("", "v1", "configmaps", "ConfigMap", true);
    private static readonly ResourceType Namespaces = Type("", "v1", "namespaces", "Namespace", false);
    private static readonly ResourceType Deployments = Type("apps", "v1", "deployments", "Deployment", true);
    private static readonly ResourceType Services = Type("", "v1", "services", "Service", true);
    private static readonly ResourceType Leases = Type("coordination.k8s.io", "v1", "leases", "Lease", true);

    private static ResourceType Type(string group, string version, string plural, string kind, bool namespaced) =>
        new(group, version, plural, plural.TrimEnd('s'), kind, namespaced, [], [], [], false, false, false);

    /// <summary>ObjectMeta as gogo-protobuf writes it: all eight leading scalar fields, the zero creationTimestamp as an empty message.</summary>
    private static Pb Meta(string name, string ns = "", params (string Key, string Value)[] labels)
    {
        var meta = new Pb().Str(1, name).Str(2, "").Str(3, ns).Str(4, "").Str(5, "").Str(6, "").Int(7, 0).Empty(8);
        foreach (var (k, v) in labels) meta.Entry(11, k, v);
        return meta;
    }

    /// <summary>Decodes through the request hook's entry point, then checks the result equals what the JSON path parses from <paramref name="expectedJson"/>.</summary>
    private JsonObject AssertDecodesTo(ResourceType type, byte[] body, string expectedJson, string verb = "create")
    {
        var decoded = ProtobufBody.ToJson(body, type, verb, ProtobufBody.MediaType);
        output.WriteLine(decoded.ToJsonString());
        var expected = verb == "delete" ? JsonNode.Parse(expectedJson)!.AsObject() : BodyParser.ParseObject(type, expectedJson, "application/json");
        Assert.True(JsonNode.DeepEquals(expected, decoded), $"expected {expected.ToJsonString()}\n     got {decoded.ToJsonString()}");
        // The decoded object is also accepted by the JSON path unchanged.
        if (verb != "delete")
            Assert.True(JsonNode.DeepEquals(decoded, BodyParser.ParseObject(type, decoded.ToJsonString(), "application/json")));
        return decoded;
    }

    [Fact]
    public void Secret_HelmReleaseShape_DecodesDataAsBase64()
    {
        var release = Encoding.UTF8.GetBytes("H4sIAAAA\u0000binary\u00ff");
        var secret = new Pb()
            .Msg(1, Meta("sh.helm.release.v1.demo.v1", "ns1", ("name", "demo"), ("owner", "helm"), ("status", "deployed"), ("version", "1")))
            .Entry(2, "release", release)
            .Str(3, "helm.sh/release.v1");

        AssertDecodesTo(Secrets, Pb.Envelope("v1", "Secret", secret), $$$"""
            {"kind":"Secret","apiVersion":"v1",
             "metadata":{"name":"sh.helm.release.v1.demo.v1","namespace":"ns1","labels":{"name":"demo","owner":"helm","status":"deployed","version":"1"}},
             "data":{"release":"{{{Convert.ToBase64String(release)}}}"},"type":"helm.sh/release.v1"}
            """);
    }

    [Fact]
    public void Secret_StringDataImmutableAndEmptyValue_Kept()
    {
        var secret = new Pb().Msg(1, Meta("s")).Entry(2, "empty", []).Str(3, "").Entry(4, "plain", "text").Bool(5, true);

        AssertDecodesTo(Secrets, Pb.Envelope("v1", "Secret", secret), """
            {"kind":"Secret","apiVersion":"v1","metadata":{"name":"s"},"data":{"empty":""},"stringData":{"plain":"text"},"immutable":true}
            """);
    }

    [Fact]
    public void ConfigMap_KubectlCreateFromLiteral_Decodes()
    {
        var cm = new Pb().Msg(1, Meta("x", "ns1")).Entry(2, "a", "b").Entry(2, "c", "").Entry(3, "bin", [0, 1, 2]).Bool(4, false);

        AssertDecodesTo(ConfigMaps, Pb.Envelope("v1", "ConfigMap", cm), """
            {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x","namespace":"ns1"},
             "data":{"a":"b","c":""},"binaryData":{"bin":"AAEC"},"immutable":false}
            """);
    }

    [Fact]
    public void Namespace_EmptySpecAndStatus_AreEmptyObjects()
    {
        var ns = new Pb().Msg(1, Meta("team-a")).Empty(2).Msg(3, new Pb().Str(1, ""));

        AssertDecodesTo(Namespaces, Pb.Envelope("v1", "Namespace", ns), """
            {"kind":"Namespace","apiVersion":"v1","metadata":{"name":"team-a"},"spec":{},"status":{}}
            """);
    }

    [Fact]
    public void Deployment_KubectlCreateDeployment_Decodes()
    {
        var container = new Pb().Str(1, "nginx").Str(2, "nginx").Str(5, "").Empty(8).Str(13, "").Str(14, "")
            .Bool(16, false).Bool(17, false).Bool(18, false).Str(20, "");
        var podSpec = new Pb().Msg(2, container).Str(3, "").Str(6, "").Str(8, "").Str(9, "").Str(10, "")
            .Bool(11, false).Bool(12, false).Bool(13, false).Str(16, "").Str(17, "").Str(19, "").Str(24, "");
        var spec = new Pb()
            .Int(1, 1)
            .Msg(2, new Pb().Entry(1, "app", "web"))
            .Msg(3, new Pb().Msg(1, Meta("", "", ("app", "web"))).Msg(2, podSpec))
            .Msg(4, new Pb().Str(1, ""))
            .Int(5, 0).Bool(7, false);
        var status = new Pb().Int(1, 0).Int(2, 0).Int(3, 0).Int(4, 0).Int(5, 0).Int(7, 0);
        var deployment = new Pb().Msg(1, Meta("web", "", ("app", "web"))).Msg(2, spec).Msg(3, status);

        AssertDecodesTo(Deployments, Pb.Envelope("apps/v1", "Deployment", deployment), """
            {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","labels":{"app":"web"}},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
               "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}},
               "strategy":{}},
             "status":{}}
            """);
    }

    [Fact]
    public void Deployment_PointerZeroes_PortsEnvProbesAndRollingUpdate_Decode()
    {
        var probe = new Pb().Msg(1, new Pb().Msg(2, new Pb().Str(1, "/healthz").Msg(2, new Pb().Int(1, 1).Int(2, 0).Str(3, "http")).Str(3, "").Str(4, "HTTP")))
            .Int(2, 5).Int(3, 0).Int(4, 10);
        var container = new Pb().Str(1, "web").Str(2, "nginx:1.25")
            .Str(3, "nginx").Str(3, "-g")
            .Msg(6, new Pb().Str(1, "http").Int(2, 0).Int(3, 80).Str(4, "TCP").Str(5, ""))
            .Msg(7, new Pb().Str(1, "MODE").Str(2, "prod"))
            .Msg(7, new Pb().Str(1, "PASSWORD").Str(2, "").Msg(3, new Pb().Msg(4, new Pb().Msg(1, new Pb().Str(1, "creds")).Str(2, "pw"))))
            .Msg(8, new Pb().Msg(1, new Pb().Str(1, "cpu").Msg(2, new Pb().Str(1, "500m"))).Msg(2, new Pb().Str(1, "memory").Msg(2, new Pb().Str(1, "64Mi"))))
            .Msg(9, new Pb().Str(1, "data").Bool(2, true).Str(3, "/data").Str(4, "").Str(6, ""))
            .Msg(11, probe);
        var podSpec = new Pb()
            .Msg(1, new Pb().Str(1, "data").Msg(2, new Pb().Msg(19, new Pb().Msg(1, new Pb().Str(1, "cfg")).Int(3, 420))))
            .Msg(2, container)
            .Int(4, 0)
            .Msg(22, new Pb().Str(1, "k").Str(2, "Exists").Str(3, "").Str(4, "NoSchedule"));
        var spec = new Pb()
            .Int(1, 0)
            .Msg(2, new Pb().Entry(1, "app", "web").Msg(2, new Pb().Str(1, "tier").Str(2, "In").Str(3, "a").Str(3, "b")))
            .Msg(3, new Pb().Msg(1, Meta("", "", ("app", "web"))).Msg(2, podSpec))
            .Msg(4, new Pb().Str(1, "RollingUpdate").Msg(2, new Pb()
                .Msg(1, new Pb().Int(1, 0).Int(2, 0).Str(3, ""))
                .Msg(2, new Pb().Int(1, 1).Int(2, 0).Str(3, "25%"))))
            .Int(6, 10)
            .Int(99, 7); // a field the table does not know: skipped
        var unknown = new List<string>();
        var raw = new Pb().Msg(1, Meta("web", "ns1")).Msg(2, spec);

        var decoded = ProtobufDecoder.DecodeObject("apps/v1", "Deployment", "apps.Deployment", Google.Protobuf.ByteString.CopyFrom(raw.ToArray()), unknown.Add);

        Assert.Equal(["apps.Deployment.spec#99"], unknown);
        var expected = JsonNode.Parse("""
            {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","namespace":"ns1"},
             "spec":{"replicas":0,
               "selector":{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["a","b"]}]},
               "template":{"metadata":{"labels":{"app":"web"}},"spec":{
                 "volumes":[{"name":"data","configMap":{"name":"cfg","defaultMode":420}}],
                 "containers":[{"name":"web","image":"nginx:1.25","command":["nginx","-g"],
                   "ports":[{"name":"http","containerPort":80,"protocol":"TCP"}],
                   "env":[{"name":"MODE","value":"prod"},{"name":"PASSWORD","valueFrom":{"secretKeyRef":{"name":"creds","key":"pw"}}}],
                   "resources":{"limits":{"cpu":"500m"},"requests":{"memory":"64Mi"}},
                   "volumeMounts":[{"name":"data","readOnly":true,"mountPath":"/data"}],
                   "readinessProbe":{"httpGet":{"path":"/healthz","port":"http","scheme":"HTTP"},"initialDelaySeconds":5,"periodSeconds":10}}],
                 "terminationGracePeriodSeconds":0,
                 "tolerations":[{"key":"k","operator":"Exists","effect":"NoSchedule"}]}},
               "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":0,"maxSurge":"25%"}},
               "revisionHistoryLimit":10}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, decoded), decoded.ToJsonString());
    }

    [Fact]
    public void Service_PortsWithIntOrStringTargetPort_Decode()
    {
        var port = new Pb().Str(1, "http").Str(2, "TCP").Int(3, 80).Msg(4, new Pb().Int(1, 0).Int(2, 8080).Str(3, "")).Int(5, 0);
        var unsetTarget = new Pb().Str(1, "").Str(2, "TCP").Int(3, 443).Msg(4, new Pb().Int(1, 0).Int(2, 0).Str(3, "")).Int(5, 0);
        var spec = new Pb().Msg(1, port).Msg(1, unsetTarget).Entry(2, "app", "web").Str(3, "").Str(4, "ClusterIP").Str(7, "").Str(8, "").Str(10, "").Str(11, "")
            .Int(12, 0).Bool(13, false);
        var svc = new Pb().Msg(1, Meta("web", "ns1")).Msg(2, spec).Msg(3, new Pb().Msg(1, new Pb()));

        AssertDecodesTo(Services, Pb.Envelope("v1", "Service", svc), """
            {"kind":"Service","apiVersion":"v1","metadata":{"name":"web","namespace":"ns1"},
             "spec":{"ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":8080},{"protocol":"TCP","port":443}],
               "selector":{"app":"web"},"type":"ClusterIP"},
             "status":{"loadBalancer":{}}}
            """);
    }

    [Fact]
    public void ObjectMeta_AllFields_Decode()
    {
        var created = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var meta = new Pb().Str(1, "c").Str(2, "c-").Str(3, "ns1").Str(4, "").Str(5, "0b7f").Str(6, "42").Int(7, 3)
            .Time(8, created, nanos: 999_000_000).Time(9, created.AddMinutes(1)).Int(10, 0)
            .Entry(11, "a", "1").Entry(12, "note", "x")
            .Msg(13, new Pb().Str(1, "ReplicaSet").Str(3, "rs").Str(4, "u-1").Str(5, "apps/v1").Bool(6, true).Bool(7, false))
            .Str(14, "example.com/keep")
            .Msg(17, new Pb().Str(1, "kubectl-create").Str(2, "Update").Str(3, "v1").Time(4, created).Str(6, "FieldsV1")
                .Msg(7, new Pb().Bytes(1, Encoding.UTF8.GetBytes("""{"f:data":{".":{},"f:a":{}}}"""))).Str(8, ""));
        var cm = new Pb().Msg(1, meta);

        AssertDecodesTo(ConfigMaps, Pb.Envelope("v1", "ConfigMap", cm), """
            {"kind":"ConfigMap","apiVersion":"v1","metadata":{
              "name":"c","generateName":"c-","namespace":"ns1","uid":"0b7f","resourceVersion":"42","generation":3,
              "creationTimestamp":"2024-05-06T07:08:09Z","deletionTimestamp":"2024-05-06T07:09:09Z","deletionGracePeriodSeconds":0,
              "labels":{"a":"1"},"annotations":{"note":"x"},
              "ownerReferences":[{"kind":"ReplicaSet","name":"rs","uid":"u-1","apiVersion":"apps/v1","controller":true,"blockOwnerDeletion":false}],
              "finalizers":["example.com/keep"],
              "managedFields":[{"manager":"kubectl-create","operation":"Update","apiVersion":"v1","time":"2024-05-06T07:08:09Z",
                "fieldsType":"FieldsV1","fieldsV1":{"f:data":{".":{},"f:a":{}}}}]}}
            """);
    }

    [Fact]
    public void Lease_MicroTimes_KeepMicroseconds()
    {
        var renew = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var lease = new Pb().Msg(1, Meta("leader", "kube-system"))
            .Msg(2, new Pb().Str(1, "pod-a").Int(2, 15).Time(3, renew, 123_456_789).Time(4, renew, 500_000).Int(5, 0));

        AssertDecodesTo(Leases, Pb.Envelope("coordination.k8s.io/v1", "Lease", lease), """
            {"kind":"Lease","apiVersion":"coordination.k8s.io/v1","metadata":{"name":"leader","namespace":"kube-system"},
             "spec":{"holderIdentity":"pod-a","leaseDurationSeconds":15,"acquireTime":"2025-01-02T03:04:05.123456Z",
               "renewTime":"2025-01-02T03:04:05.000500Z","leaseTransitions":0}}
            """);
    }

    [Fact]
    public void DeleteOptions_OnDelete_Decode()
    {
        var options = new Pb().Int(1, 0).Msg(2, new Pb().Str(1, "u-1")).Str(4, "Foreground").Str(5, "All");

        AssertDecodesTo(Secrets, Pb.Envelope("v1", "DeleteOptions", options), """
            {"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":0,"preconditions":{"uid":"u-1"},"propagationPolicy":"Foreground","dryRun":["All"]}
            """, verb: "delete");
    }

    [Fact]
    public void UnsupportedKind_Gets415()
    {
        var body = Pb.Envelope("v1", "PersistentVolume", new Pb().Msg(1, Meta("pv")));

        var e = Assert.Throws<StatusException>(() => ProtobufBody.ToJson(body, Type("", "v1", "persistentvolumes", "PersistentVolume", false), "create", ProtobufBody.MediaType));

        Assert.Equal(415, e.Code);
        Assert.Equal("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml", e.Message);
    }

    [Fact]
    public void MissingMagicOrTruncated_Gets400()
    {
        var noMagic = Assert.Throws<StatusException>(() => ProtobufBody.ToJson("{}"u8, Secrets, "create", ProtobufBody.MediaType));
        Assert.Equal(400, noMagic.Code);

        var full = Pb.Envelope("v1", "Secret", new Pb().Msg(1, Meta("s")).Entry(2, "k", [1, 2, 3]));
        var truncated = Assert.Throws<StatusException>(() => ProtobufBody.ToJson(full.AsSpan(0, full.Length - 3), Secrets, "create", ProtobufBody.MediaType));
        Assert.Equal(400, truncated.Code);
    }

    [Fact]
    public void WrongWireType_OnKnownField_Gets400()
    {
        var body = Pb.Envelope("v1", "Secret", new Pb().Msg(1, new Pb().Int(1, 5)));

        var e = Assert.Throws<StatusException>(() => ProtobufBody.ToJson(body, Secrets, "create", ProtobufBody.MediaType));

        Assert.Equal(400, e.Code);
        Assert.Contains("core.Secret.metadata.name", e.Message);
    }
}
