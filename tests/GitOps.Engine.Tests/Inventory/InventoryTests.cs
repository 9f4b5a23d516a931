using GitOps.Engine.Model;
using Inv = GitOps.Engine.Inventory.Inventory;

namespace GitOps.Engine.Tests.Inventory;

public class InventoryTests
{
    public static TheoryData<string, string[], string[], string[]> Diff_TestData() => new()
    {
        { "nothing removed", ["apps/Deployment/shop/web"], ["apps/Deployment/shop/web"], [] },
        { "one removed", ["apps/Deployment/shop/web", "/ConfigMap/shop/cfg"], ["apps/Deployment/shop/web"], ["/ConfigMap/shop/cfg"] },
        { "added only", [], ["/Namespace//shop"], [] },
        { "all removed, key order", ["/Service/shop/b", "/ConfigMap/shop/a"], [], ["/ConfigMap/shop/a", "/Service/shop/b"] },
    };

    [Theory]
    [MemberData(nameof(Diff_TestData))]
    public void Diff_OldAndNew_StaleKeys(string caseName, string[] previous, string[] current, string[] expectedStale)
    {
        var stale = Inv.Diff(Inv.Parse(previous), Inv.Parse(current));

        Assert.True(expectedStale.SequenceEqual(stale.Select(k => k.ToInventoryString())), $"{caseName}: {string.Join(", ", stale)}");
    }

    [Fact]
    public void Parse_Entries_SortedAndEqualBySet()
    {
        var a = Inv.Parse(["/Service/shop/b", "/ConfigMap/shop/a", "/Service/shop/b"]);
        var b = Inv.Of([new ResourceKey("", "ConfigMap", "shop", "a"), new ResourceKey("", "Service", "shop", "b")]);

        Assert.Equal(["/ConfigMap/shop/a", "/Service/shop/b"], a.ToEntries());
        Assert.Equal(a, b);
        Assert.Equal("ConfigMap/shop/a\nService/shop/b", a.ToString());
    }
}
