using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GitOps.Operator.Controller;
using GitOps.Operator.Hosting;
using GitOps.Operator.Webhooks;
using GitOps.Testing;
using Microsoft.AspNetCore.Builder;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// Two replicas splitting the Applications (--shards 2): each elects a leader on its own Lease,
/// reconciles only its shard's Applications, and a push that reaches one replica is handed to the
/// other for its Applications (Git is polled once an hour here, so only the push can do it).
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class ShardingIntegrationTests
{
    private const string Secret = "sharding-webhook-secret";

    [Fact]
    public async Task TwoShards_EachReconcilesItsOwnApps_APushToOneReachesBoth()
    {
        var fx = new OperatorFixture { StartOperator = false };
        await fx.InitializeAsync();
        var operators = new List<WebApplication>();
        try
        {
            var system = await fx.NewNamespaceAsync("shardsys");
            await fx.ApplyYamlAsync($"apiVersion: v1\nkind: Secret\nmetadata:\n  name: hook\n  namespace: {system}\nstringData:\n  secret: {Secret}\n");
            var options = OperatorOptions.Default with
            {
                LeaseNamespace = system, LeaseDuration = TimeSpan.FromSeconds(4), RenewDeadline = TimeSpan.FromSeconds(3), RetryPeriod = TimeSpan.FromMilliseconds(500),
                Webhooks = WebhookOptions.Default with { SecretRef = $"{system}/hook" },
            };
            var addresses = new List<Uri>();
            foreach (var shard in new[] { 0, 1 })
            {
                var (app, address) = await fx.StartOperatorAsync(options with { Identity = $"replica-{shard}", Sharding = new Sharding(shard, 2) });
                operators.Add(app);
                addresses.Add(address);
            }

            using var s = await Scenario.StartAsync(fx, "shards");
            var names = Enumerable.Range(0, 6).Select(i => $"app-{i}").ToList();
            var first = await s.PushAsync("v1", [.. names.Select(n => ($"{n}/cm.yaml", (string?)AppYaml.ConfigMap($"{n}-settings", "v1")))]);
            foreach (var (name, i) in names.Select((n, i) => (n, i)))
            {
                // The first two are pinned, one to each shard, so both shards have work whatever the hash says.
                var pin = i < 2 ? $"  labels: {{ {Sharding.ShardLabel}: \"{i}\" }}" : "";
                await s.CreateAppAsync(path: name, name: name, interval: "1h", metadataExtra: pin);
            }
            foreach (var name in names) await s.WaitSyncedAsync(first, name);

            using var http = new HttpClient();
            for (var shard = 0; shard < 2; shard++)
            {
                var lease = await fx.GetAsync($"/apis/coordination.k8s.io/v1/namespaces/{system}/leases/gitops-operator-shard-{shard}");
                Assert.Equal($"replica-{shard}", (string?)lease?["spec"]?["holderIdentity"]);
                var expected = names.Where((n, i) => (i < 2 ? i : Sharding.ShardOf(s.Namespace, n, null, 2)) == shard).Order().ToList();
                var scraped = await http.GetStringAsync(new Uri(addresses[shard], "/metrics"));
                Assert.Equal(expected, AppsIn(scraped, s.Namespace));
                Assert.Contains($"gitops_shard_info{{shard=\"{shard}\",shards=\"2\"}} 1", scraped);
            }

            var second = await s.PushAsync("v2", [.. names.Select(n => ($"{n}/cm.yaml", (string?)AppYaml.ConfigMap($"{n}-settings", "v2")))]);
            var (status, body) = await PostPushAsync(http, addresses[0], s.Url);
            Assert.True(status == 202, $"{status} {body}");
            Assert.Contains("6 Applications re-queued", body, StringComparison.Ordinal);
            foreach (var name in names) await s.WaitSyncedAsync(second, name);
            foreach (var name in names) Assert.Equal("v2", (string?)(await s.ConfigMapAsync($"{name}-settings"))?["data"]?["value"]);
        }
        finally
        {
            foreach (var op in operators)
            {
                await op.StopAsync();
                await op.DisposeAsync();
            }
            await fx.DisposeAsync();
        }
    }

    /// <summary>The Applications of <paramref name="ns"/> a replica reports in gitops_app_info: the ones it reconciled.</summary>
    internal static List<string> AppsIn(string metrics, string ns) =>
        [.. AppInfo().Matches(metrics).Where(m => m.Groups["ns"].Value == ns).Select(m => m.Groups["name"].Value).Distinct().Order()];

    [GeneratedRegex(@"^gitops_app_info\{namespace=""(?<ns>[^""]+)"",name=""(?<name>[^""]+)""", RegexOptions.Multiline)]
    private static partial Regex AppInfo();

    private static async Task<(int Status, string Body)> PostPushAsync(HttpClient http, Uri address, string repoUrl)
    {
        var body = new JsonObject
        {
            ["ref"] = "refs/heads/main",
            ["repository"] = new JsonObject { ["clone_url"] = repoUrl, ["full_name"] = "test/repo", ["default_branch"] = "main" },
        }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/api/webhook"));
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add(WebhookSignatures.GitHubHeader, "sha256=" + WebhookSignatures.Sign(Encoding.UTF8.GetBytes(body), Encoding.UTF8.GetBytes(Secret)));
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
