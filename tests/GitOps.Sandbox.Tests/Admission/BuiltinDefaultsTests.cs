using Xunit;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Admission;

namespace GitOps.Sandbox.Tests.Admission;

public sealed class BuiltinDefaultsTests
{
    /// <summary>Hands out the values the real server allocated in the recording.</summary>
    private sealed class RecordedAllocator(JsonObject response) : IAllocator
    {
        private int _nodePorts;
        public string NextClusterIp() => response["spec"]?["clusterIP"]?.GetValue<string>() ?? "10.0.0.1";
        public int NextNodePort() => response["spec"]!["ports"]!.AsArray()[_nodePorts++]!["nodePort"]!.GetValue<int>();
        public string NewUid() => response["metadata"]!["uid"]!.GetValue<string>();
        public string RandomSuffix()
        {
            var volumes = response["spec"]?["volumes"]?.AsArray() ?? [];
            var name = volumes.Select(v => v?["name"]?.GetValue<string>() ?? "").FirstOrDefault(n => n.StartsWith("kube-api-access-", StringComparison.Ordinal));
            return name?["kube-api-access-".Length..] ?? "xxxxx";
        }
    }

    public static TheoryData<string, string> Recordings_TestData()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.GetFiles(ReferenceFiles.Dir("defaults"), "*.json").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(file), "defaults/" + Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Recordings_TestData))]
    public void Apply_RecordedMinimalCreate_MatchesServerResponse(string caseName, string file)
    {
        Assert.NotNull(caseName);
        var step = ReferenceFiles.Steps(file).Single();
        var request = step["request"]!["body"]!.AsObject().DeepClone().AsObject();
        var response = step["response"]!["body"]!.AsObject().DeepClone().AsObject();
        var apiVersion = request["apiVersion"]!.GetValue<string>();
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        var kind = request["kind"]!.GetValue<string>();

        var allocator = new RecordedAllocator(response);
        BuiltinDefaults.Apply(group, kind, request, allocator);
        BuiltinDefaults.PrepareForCreate(group, kind, request, allocator);

        foreach (var body in new[] { request, response })
        {
            var metadata = body["metadata"]!.AsObject();
            foreach (var f in new[] { "uid", "resourceVersion", "creationTimestamp", "managedFields", "generation" }) metadata.Remove(f);
            body.Remove("status");
        }
        ReferenceFiles.DropNulls(response);
        var diffs = ReferenceFiles.Diff(response, request);
        Assert.True(diffs.Count == 0, string.Join("\n", diffs));
    }

    public static TheoryData<string, string, string> ImagePullPolicy_TestData() => new()
    {
        { "NoTag", "nginx", "Always" },
        { "Latest", "nginx:latest", "Always" },
        { "Tagged", "nginx:1.25", "IfNotPresent" },
        { "RegistryPortNoTag", "registry:5000/app", "Always" },
        { "RegistryPortTagged", "registry:5000/app:v1", "IfNotPresent" },
        { "DigestOnly", "nginx@sha256:0123", "IfNotPresent" },
    };

    [Theory]
    [MemberData(nameof(ImagePullPolicy_TestData))]
    public void Apply_ContainerImage_DefaultsPullPolicy(string caseName, string image, string expected)
    {
        Assert.NotNull(caseName);
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "p" },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = image }) },
        };
        BuiltinDefaults.Apply("", "Pod", pod, new SequentialAllocator());
        Assert.Equal(expected, pod["spec"]!["containers"]![0]!["imagePullPolicy"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string, string> Defaulted_TestData() => new()
    {
        {
            "SecretStringDataOverridesData", "Secret",
            """{"metadata":{"name":"s"},"data":{"a":"eA==","b":"eQ=="},"stringData":{"a":"z"}}""",
            """{"metadata":{"name":"s"},"data":{"a":"eg==","b":"eQ=="},"type":"Opaque"}"""
        },
        {
            "NetworkPolicyWithEgress", "NetworkPolicy",
            """{"metadata":{"name":"n"},"spec":{"podSelector":{},"egress":[{"ports":[{"port":53}]}]}}""",
            """{"metadata":{"name":"n"},"spec":{"podSelector":{},"egress":[{"ports":[{"port":53,"protocol":"TCP"}]}],"policyTypes":["Ingress","Egress"]}}"""
        },
        {
            "ServiceExternalName", "Service",
            """{"metadata":{"name":"s"},"spec":{"type":"ExternalName","externalName":"example.com"}}""",
            """{"metadata":{"name":"s"},"spec":{"type":"ExternalName","externalName":"example.com","sessionAffinity":"None"},"status":{"loadBalancer":{}}}"""
        },
        {
            "DeploymentRecreateKeepsNoRollingUpdate", "Deployment",
            """{"metadata":{"name":"d"},"spec":{"strategy":{"type":"Recreate"},"template":{"spec":{"containers":[]}}}}""",
            """{"metadata":{"name":"d"},"spec":{"replicas":1,"strategy":{"type":"Recreate"},"revisionHistoryLimit":10,"progressDeadlineSeconds":600,"template":{"spec":{"containers":[],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","securityContext":{},"schedulerName":"default-scheduler"}}}}"""
        },
    };

    [Theory]
    [MemberData(nameof(Defaulted_TestData))]
    public void Apply_Object_FillsDefaults(string caseName, string kind, string input, string expected)
    {
        Assert.NotNull(caseName);
        var obj = JsonNode.Parse(input)!.AsObject();
        var group = kind switch { "Deployment" => "apps", "NetworkPolicy" => "networking.k8s.io", _ => "" };
        BuiltinDefaults.Apply(group, kind, obj, new SequentialAllocator());
        var diffs = ReferenceFiles.Diff(JsonNode.Parse(expected), obj);
        Assert.True(diffs.Count == 0, string.Join("\n", diffs));
    }
}
