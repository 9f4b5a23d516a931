using GitOps.Sandbox.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>List with label and field selectors, paging with limit/continue, and cluster-wide lists.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ListTests(ApiTarget target)
{
    private Kubernetes Client => target.Client;

    private async Task<string> SeedAsync()
    {
        var ns = await target.NewNamespaceAsync();
        var seeds = new (string Name, Dictionary<string, string> Labels)[]
        {
            ("a", new() { ["env"] = "prod", ["tier"] = "web" }),
            ("b", new() { ["env"] = "dev", ["tier"] = "web" }),
            ("c", new() { ["env"] = "prod" }),
            ("d", new()),
        };
        foreach (var (name, labels) in seeds)
            await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap(name, labels: labels.Count == 0 ? null : labels), ns);
        return ns;
    }

    public static TheoryData<string, string, string> LabelSelector_TestData() => new()
    {
        { "equals", "env=prod", "a,c" },
        { "double equals", "env==prod", "a,c" },
        { "not equals (includes objects without the label)", "env!=prod", "b,d" },
        { "in", "env in (prod,dev)", "a,b,c" },
        { "notin (includes objects without the label)", "env notin (prod)", "b,d" },
        { "exists", "tier", "a,b" },
        { "does not exist", "!tier", "c,d" },
        { "conjunction", "env=prod,tier", "a" },
        { "conjunction with spaces", "env in (prod), !tier", "c" },
        { "no match", "env=staging", "" },
    };

    [Theory]
    [MemberData(nameof(LabelSelector_TestData))]
    public async Task List_WithLabelSelector_ReturnsMatchingObjects(string caseName, string selector, string expected)
    {
        _ = caseName;
        var ns = await SeedAsync();
        var names = await Conform.ConfigMapNamesAsync(target, ns, labelSelector: selector);
        Assert.Equal(expected, string.Join(",", names));
    }

    public static TheoryData<string, string, string> FieldSelector_TestData() => new()
    {
        { "name equals", "metadata.name=b", "b" },
        { "name double equals", "metadata.name==c", "c" },
        { "name not equals", "metadata.name!=b", "a,c,d" },
        { "namespace equals", "metadata.namespace={ns}", "a,b,c,d" },
        { "namespace of another", "metadata.namespace=elsewhere", "" },
        { "name and namespace", "metadata.name=a,metadata.namespace={ns}", "a" },
    };

    [Theory]
    [MemberData(nameof(FieldSelector_TestData))]
    public async Task List_WithFieldSelector_ReturnsMatchingObjects(string caseName, string selector, string expected)
    {
        _ = caseName;
        var ns = await SeedAsync();
        var names = await Conform.ConfigMapNamesAsync(target, ns, fieldSelector: selector.Replace("{ns}", ns, StringComparison.Ordinal));
        Assert.Equal(expected, string.Join(",", names));
    }

    [Fact]
    public async Task List_WithUnsupportedFieldSelector_Returns400()
    {
        var ns = await target.NewNamespaceAsync();
        await Conform.FailsAsync(System.Net.HttpStatusCode.BadRequest,
            () => Client.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: "data.k=v"));
    }

    public static TheoryData<string, int, int> Paging_TestData() => new()
    {
        { "pages of 3 over 7", 7, 3 },
        { "exact multiple", 6, 3 },
        { "one page larger than the list", 4, 10 },
        { "pages of one", 3, 1 },
    };

    [Theory]
    [MemberData(nameof(Paging_TestData))]
    public async Task List_WithLimitAndContinue_ReturnsEveryObjectOnce(string caseName, int count, int limit)
    {
        _ = caseName;
        var ns = await target.NewNamespaceAsync();
        var label = new Dictionary<string, string> { ["paging"] = "yes" };
        for (var i = 0; i < count; i++) await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap($"p{i:D2}", labels: label), ns);

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        string? firstRv = null;
        do
        {
            var page = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: "paging=yes", limit: limit, continueParameter: token);
            Assert.True(page.Items.Count <= limit);
            firstRv ??= page.Metadata.ResourceVersion;
            Assert.Equal(firstRv, page.Metadata.ResourceVersion);
            seen.AddRange(page.Items.Select(i => i.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            pages++;
            if (token is null) Assert.Null(page.Metadata.RemainingItemCount);
        } while (!string.IsNullOrEmpty(token));

        Assert.Equal(Enumerable.Range(0, count).Select(i => $"p{i:D2}"), seen);
        Assert.Equal((count + limit - 1) / limit, pages);
    }

    [Fact]
    public async Task List_ContinueAfterChanges_ServesTheOriginalSnapshotOrder()
    {
        var ns = await target.NewNamespaceAsync();
        for (var i = 0; i < 4; i++) await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap($"s{i}", labels: new Dictionary<string, string> { ["snap"] = "1" }), ns);
        var first = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: "snap=1", limit: 2);
        Assert.Equal(["s0", "s1"], first.Items.Select(i => i.Metadata.Name));
        var second = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: "snap=1", limit: 2, continueParameter: first.Metadata.ContinueProperty);
        Assert.Equal(["s2", "s3"], second.Items.Select(i => i.Metadata.Name));
        Assert.Null(second.Metadata.ContinueProperty);
    }

    [Fact]
    public async Task List_AcrossAllNamespaces_ReturnsNamespacedObjectsFromEach()
    {
        var ns1 = await target.NewNamespaceAsync();
        var ns2 = await target.NewNamespaceAsync();
        var marker = Guid.NewGuid().ToString("N")[..10];
        var labels = new Dictionary<string, string> { ["marker"] = marker };
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("one", labels: labels), ns1);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap("two", labels: labels), ns2);
        var all = await Client.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: $"marker={marker}");
        Assert.Equal(
            new[] { $"{ns1}/one", $"{ns2}/two" }.Order(StringComparer.Ordinal),
            all.Items.Select(i => $"{i.Metadata.NamespaceProperty}/{i.Metadata.Name}").Order(StringComparer.Ordinal));
        var byNamespace = await Client.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: $"metadata.namespace={ns2}", labelSelector: $"marker={marker}");
        Assert.Equal(["two"], byNamespace.Items.Select(i => i.Metadata.Name));
    }

    [Fact]
    public async Task List_AcrossNamespacesOneAPrefixOfTheOther_PagesInEtcdKeyOrderAndLosesNone()
    {
        // etcd's keys are /registry/configmaps/<namespace>/<name>: "t-x-y/..." sorts before "t-x/..." ('-' < '/').
        var shorter = await target.NewNamespaceAsync();
        var longer = await target.NewNamespaceAsync(shorter);
        var marker = Guid.NewGuid().ToString("N")[..10];
        var labels = new Dictionary<string, string> { ["marker"] = marker };
        foreach (var ns in new[] { shorter, longer })
            foreach (var name in new[] { "x0", "x1" })
                await Client.CoreV1.CreateNamespacedConfigMapAsync(Conform.ConfigMap(name, labels: labels), ns);

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await Client.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: $"marker={marker}", limit: 1, continueParameter: token);
            seen.AddRange(page.Items.Select(i => $"{i.Metadata.NamespaceProperty}/{i.Metadata.Name}"));
            token = page.Metadata.ContinueProperty;
        } while (!string.IsNullOrEmpty(token));

        Assert.Equal([$"{longer}/x0", $"{longer}/x1", $"{shorter}/x0", $"{shorter}/x1"], seen);
    }

    [Fact]
    public async Task List_Items_CarryNoKindButTheListDoes()
    {
        var ns = await SeedAsync();
        var (code, body, _) = await Conform.RawAsync(Client, HttpMethod.Get, $"api/v1/namespaces/{ns}/configmaps");
        Assert.Equal(System.Net.HttpStatusCode.OK, code);
        var doc = System.Text.Json.Nodes.JsonNode.Parse(body)!;
        Assert.Equal("ConfigMapList", (string?)doc["kind"]);
        Assert.Equal("v1", (string?)doc["apiVersion"]);
        Assert.False(string.IsNullOrEmpty((string?)doc["metadata"]!["resourceVersion"]));
    }
}
