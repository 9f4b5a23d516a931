using System.Text.Json.Nodes;
using GitOps.Engine.Model;

namespace GitOps.Engine.Tests.Model;

public class ManifestTests
{
    public static TheoryData<string, string, string, bool> Hash_TestData() => new()
    {
        { "key order does not matter", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},\"data\":{\"x\":\"1\",\"y\":\"2\"}}", "{\"kind\":\"ConfigMap\",\"data\":{\"y\":\"2\",\"x\":\"1\"},\"metadata\":{\"name\":\"a\"},\"apiVersion\":\"v1\"}", true },
        { "a value change does", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},\"data\":{\"x\":\"1\"}}", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},\"data\":{\"x\":\"2\"}}", false },
        { "array order does", "{\"apiVersion\":\"v1\",\"kind\":\"X\",\"metadata\":{\"name\":\"a\"},\"l\":[1,2]}", "{\"apiVersion\":\"v1\",\"kind\":\"X\",\"metadata\":{\"name\":\"a\"},\"l\":[2,1]}", false },
    };

    [Theory]
    [MemberData(nameof(Hash_TestData))]
    public void Hash_Content_StableUnderKeyOrder(string caseName, string a, string b, bool equal)
    {
        var ha = Manifest.Parse(a).Hash();
        var hb = Manifest.Parse(b).Hash();

        Assert.True((ha == hb) == equal, caseName);
        Assert.Equal(64, ha.Length);
    }

    /// <summary>
    /// The hash is SHA-256 of compact JSON with keys sorted ordinally at every level, escaped as System.Text.Json
    /// does by default (non-ASCII and HTML-sensitive characters as \uXXXX), numbers as written: this literal pins it.
    /// </summary>
    [Fact]
    public void Hash_IsSha256OfTheCanonicalForm()
    {
        var m = Manifest.Parse("{\"kind\":\"X\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"a\",\"labels\":{\"z\":\"<é>\",\"b\":null}},\"l\":[3.50,{\"y\":true,\"x\":1e3}],\"B\":\"&'\"}");
        const string canonical = "{\"B\":\"\\u0026\\u0027\",\"apiVersion\":\"v1\",\"kind\":\"X\",\"l\":[3.50,{\"x\":1e3,\"y\":true}],\"metadata\":{\"labels\":{\"b\":null,\"z\":\"\\u003C\\u00E9\\u003E\"},\"name\":\"a\"}}";

        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)));

        Assert.Equal(expected, m.Hash());
        Assert.Equal(expected, Manifest.From(m.ToJson()).Hash()); // and again on the same thread, with its buffer reused
    }

    [Fact]
    public void LiveContentHash_LeavesOutOnlyWhatTheServerChanges()
    {
        var live = (JsonObject)JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","status":{"replicas":1},
             "metadata":{"name":"web","resourceVersion":"9","generation":4,"managedFields":[{"manager":"x"}],"labels":{"generation":"g"},
                         "annotations":{"deployment.kubernetes.io/revision":"3","team":"a"}},
             "spec":{"status":"kept","template":{"metadata":{"generation":1,"resourceVersion":"kept","annotations":{"deployment.kubernetes.io/revision":"kept"}}},
                     "annotations":{"deployment.kubernetes.io/revision":"kept"}}}
            """)!;
        var expected = (JsonObject)live.DeepClone();
        expected.Remove("status");
        foreach (var field in new[] { "resourceVersion", "generation", "managedFields" }) ((JsonObject)expected["metadata"]!).Remove(field);
        ((JsonObject)expected["metadata"]!["annotations"]!).Remove("deployment.kubernetes.io/revision");

        Assert.Equal(Manifest.From(expected).Hash(), Manifest.LiveContentHash(live));
        Assert.NotNull(live["status"]); // the object itself is left as it was
        Assert.NotEqual(Manifest.LiveContentHash(live), Manifest.LiveContentHash((JsonObject)JsonNode.Parse(live.ToJsonString().Replace("\"kept\"", "\"changed\"", StringComparison.Ordinal))!));
    }

    [Fact]
    public void Accessors_Deployment_ReadsIdentityLabelsAnnotations()
    {
        var m = TestJson.Man("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n  labels: {app: web}\n  annotations: {gitops.dev/sync-wave: \"2\"}\n");

        Assert.Equal(("apps/v1", "apps", "v1", "Deployment", "shop", "web"), (m.ApiVersion, m.Group, m.Version, m.Kind, m.Namespace, m.Name));
        Assert.Equal("web", m.Labels["app"]);
        Assert.Equal("2", m.Annotation("gitops.dev/sync-wave"));
        Assert.Equal(new ResourceKey("apps", "Deployment", "shop", "web"), m.Key);
    }

    [Fact]
    public void ToJson_Mutated_ManifestUnchanged()
    {
        var source = TestJson.Obj("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: \"1\"}\n");
        var m = Manifest.From(source);
        var hash = m.Hash();

        source["data"]!["x"] = "changed";
        m.ToJson()["data"]!["x"] = "changed too";
        var clone = m.Clone();

        Assert.Equal(hash, m.Hash());
        Assert.Equal(hash, clone.Hash());
        Assert.Equal("1", m.ToJson()["data"]!["x"]!.ToString());
    }

    public static TheoryData<string, Func<Manifest, Manifest>, bool> EncryptedInGit_TestData() => new()
    {
        { "parsed from text", m => m, false },
        { "marked", m => m.AsEncryptedInGit(), true },
        { "marked, then changed", m => m.AsEncryptedInGit().With(o => o["data"]!["x"] = "2"), true },
        { "marked, then cloned", m => m.AsEncryptedInGit().Clone(), true },
        { "marked copy kept by hash", m => Manifest.FromHashed(m.ToJson(), m.Hash(), encryptedInGit: true), true },
        { "copy kept by hash without the mark", m => Manifest.FromHashed(m.ToJson(), m.Hash()), false },
    };

    [Theory]
    [MemberData(nameof(EncryptedInGit_TestData))]
    public void EncryptedInGit_Derived_MarkKeptHashUnchanged(string caseName, Func<Manifest, Manifest> derive, bool expected)
    {
        var m = Manifest.From(TestJson.Obj("apiVersion: v1\nkind: Secret\nmetadata: {name: a}\ndata: {x: \"1\"}\n"));

        var derived = derive(m);

        Assert.True(expected == derived.EncryptedInGit, caseName);
        if (derived.ToJson().ToJsonString() == m.ToJson().ToJsonString()) Assert.Equal(m.Hash(), derived.Hash());
    }
}
