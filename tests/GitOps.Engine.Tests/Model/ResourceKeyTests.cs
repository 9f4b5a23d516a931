using GitOps.Engine.Model;

namespace GitOps.Engine.Tests.Model;

public class ResourceKeyTests
{
    public static TheoryData<string, string, string, string> Key_TestData() => new()
    {
        { "namespaced apps object", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}", "Deployment/shop/web", "apps/Deployment/shop/web" },
        { "core namespaced object", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: shop}", "ConfigMap/shop/cfg", "/ConfigMap/shop/cfg" },
        { "cluster-scoped core object", "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}", "Namespace/shop", "/Namespace//shop" },
        { "cluster-scoped grouped object", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader}", "ClusterRole/reader", "rbac.authorization.k8s.io/ClusterRole//reader" },
    };

    [Theory]
    [MemberData(nameof(Key_TestData))]
    public void Of_Object_FormatsAndRoundTrips(string caseName, string yaml, string expectedText, string expectedInventory)
    {
        var key = ResourceKey.Of(TestJson.Obj(yaml));

        Assert.True(key.ToString() == expectedText, $"{caseName}: {key}");
        Assert.Equal(expectedInventory, key.ToInventoryString());
        Assert.Equal(key, ResourceKey.ParseInventory(expectedInventory));
    }

    public static TheoryData<string, string> BadInventory_TestData() => new()
    {
        { "too few parts", "apps/Deployment/web" },
        { "too many parts", "apps/Deployment/ns/web/x" },
        { "no kind", "apps//ns/web" },
        { "no name", "apps/Deployment/ns/" },
    };

    [Theory]
    [MemberData(nameof(BadInventory_TestData))]
    public void ParseInventory_Malformed_Throws(string caseName, string text)
    {
        var e = Assert.Throws<FormatException>(() => ResourceKey.ParseInventory(text));
        Assert.True(e.Message.Contains(text, StringComparison.Ordinal), caseName);
    }
}
