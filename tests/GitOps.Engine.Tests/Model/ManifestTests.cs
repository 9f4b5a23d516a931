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
