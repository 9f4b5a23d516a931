using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Operator.Notifications;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// Notifications end to end: each target type against a loopback receiver that checks the body and
/// the signature or token; a receiver answering 500 then 200; a receiver that hangs; a Secret of
/// another namespace; and the Secret values nowhere in logs, status or Events.
/// </summary>
[Collection(NotificationCollection.Name)]
[Trait("Category", "Integration")]
public sealed class NotificationsTests(NotificationFixture nf)
{
    private OperatorFixture Fx => nf.Fx;
    private LoopbackReceiver Receiver => nf.Receiver;

    [Fact]
    public async Task Webhook_Synced_SignedJsonOfTheDeployedCommit()
    {
        const string key = "hmac-key-webhook-4f1d";
        var (ns, sha) = await StartAsync("nwh", key, ns => $"{{ type: webhook, url: \"{Receiver.Url($"/hook/{ns}")}\", secretRef: {{ name: creds, key: value }} }}");

        var request = await WaitRequestAsync($"/hook/{ns}");

        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(request.Body)));
        Assert.Equal(expected, request.Header(WebhookMessage.SignatureHeader));
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal(("synced", ns, "app", sha), ((string?)body["event"], (string?)body["application"]?["namespace"], (string?)body["application"]?["name"], (string?)body["revision"]));
        var notification = await WaitNotificationAsync(ns, n => (string?)n["status"]?["lastDelivery"]?["result"] == "Delivered", "delivered");
        Assert.Equal(sha, (string?)notification["status"]?["lastDelivery"]?["revision"]);
        await AssertNowhereAsync(ns, key);
    }

    [Fact]
    public async Task Slack_Synced_UrlFromSecret_TextAndBlocks()
    {
        var (ns, sha) = await StartAsync("nsl", "placeholder", _ => "{ type: slack, secretRef: { name: creds, key: value } }",
            secretValue: ns => Receiver.Url($"/services/{ns}/T0/SLACKSECRET").AbsoluteUri);

        var request = await WaitRequestAsync($"/services/{ns}/T0/SLACKSECRET");

        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal($"{ns}/app synced: deployed {sha[..12]}", (string?)body["text"]);
        Assert.Equal(["header", "section", "context"], body["blocks"]!.AsArray().Select(b => (string?)b!["type"]));
        await WaitNotificationAsync(ns, n => (string?)n["status"]?["lastDelivery"]?["result"] == "Delivered", "delivered");
        await AssertNowhereAsync(ns, "SLACKSECRET");
    }

    [Fact]
    public async Task Teams_SyncFailed_AdaptiveCardNamesTheFailure()
    {
        var (ns, sha) = await StartAsync("nte", "unused", ns => $"{{ type: teams, url: \"{Receiver.Url($"/teams/{ns}")}\" }}",
            events: "[sync-failed]", appPath: "not-there");

        var request = await WaitRequestAsync($"/teams/{ns}");

        var (card, heading, facts) = TeamsMessage.Read(request.Body);
        Assert.Equal(($"{ns}/app sync failed", "Attention"), ((string?)heading["text"], (string?)heading["color"]));
        Assert.Equal(("sync-failed", sha), (facts["Event"], facts["Revision"]));
        Assert.Contains("RenderError", (string?)card["body"]![1]!["text"], StringComparison.Ordinal);
    }

    // caseName, type, API path below the receiver, the status path after it, the field naming the context, the auth header and its value
    public static TheoryData<string, string, string, string, string, string> CommitStatus_TestData() => new()
    {
        { "github", "github", "/gh/{ns}/api/v3", "/repos/acme/config/statuses/{sha}", "context", "Authorization=Bearer {token}" },
        { "gitlab", "gitlab", "/gl/{ns}/api/v4", "/projects/acme%2Fconfig/statuses/{sha}", "name", "PRIVATE-TOKEN={token}" },
        { "gitea", "gitea", "/gt/{ns}/api/v1", "/repos/acme/config/statuses/{sha}", "context", "Authorization=token {token}" },
    };

    [Theory]
    [MemberData(nameof(CommitStatus_TestData))]
    public async Task CommitStatus_Synced_SuccessOnTheDeployedCommit(string caseName, string type, string api, string statusPath, string contextField, string auth)
    {
        var token = $"tok-{type}-5e9a01";
        var (ns, sha) = await StartAsync("n" + type[..2], token,
            ns => $"{{ type: {type}, apiUrl: \"{Receiver.Url(api.Replace("{ns}", ns, StringComparison.Ordinal))}\", repository: acme/config, secretRef: {{ name: creds, key: value }} }}");
        var path = api.Replace("{ns}", ns, StringComparison.Ordinal) + statusPath.Replace("{sha}", sha, StringComparison.Ordinal);

        var request = await WaitRequestAsync(path.Replace("%2F", "/", StringComparison.Ordinal), path);

        var body = JsonNode.Parse(request.Body)!;
        Assert.True((string?)body["state"] == "success", $"{caseName}: {request.Body}");
        Assert.Equal("gitops/app", (string?)body[contextField]);
        var (header, value) = (auth.Split('=')[0], auth.Split('=', 2)[1].Replace("{token}", token, StringComparison.Ordinal));
        Assert.Equal(value, request.Header(header));
        await WaitNotificationAsync(ns, n => (string?)n["status"]?["lastDelivery"]?["result"] == "Delivered", $"{caseName} delivered");
        await AssertNowhereAsync(ns, token);
    }

    [Fact]
    public async Task Webhook_Receiver500Then200_DeliveredOnceAfterRetry()
    {
        const string key = "hmac-key-retry-77c2";
        var path = "";
        var (ns, sha) = await StartAsync("nrt", key, ns =>
        {
            path = $"/flaky/{ns}";
            Receiver.Answer(path, 500, 200);
            return $"{{ type: webhook, url: \"{Receiver.Url(path)}\", secretRef: {{ name: creds, key: value }} }}";
        });

        var notification = await WaitNotificationAsync(ns, n => (string?)n["status"]?["lastDelivery"]?["result"] == "Delivered", "delivered after a retry");

        Assert.Equal([500, 200], Receiver.At(path).Select(r => r.AnsweredWith));
        Assert.Contains("(try 2)", (string?)notification["status"]?["lastDelivery"]?["message"], StringComparison.Ordinal);
        Assert.All(Receiver.At(path), r => Assert.Equal(Receiver.At(path)[0].Body, r.Body));
        // Another reconcile of the same revision sends nothing again.
        await RefreshAndWaitAsync(ns);
        Assert.Equal(2, Receiver.At(path).Count);
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(nf.OperatorAddress, "/metrics"));
        Assert.Contains("gitops_notifications_total{type=\"webhook\",result=\"retried\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("gitops_notifications_total{type=\"webhook\",result=\"delivered\"}", metrics, StringComparison.Ordinal);
        _ = sha;
    }

    [Fact]
    public async Task Webhook_Receiver400_FailedWithoutRetry()
    {
        var path = "";
        var (ns, _) = await StartAsync("nbad", "hmac-key-400", ns =>
        {
            path = $"/refuses/{ns}";
            Receiver.Answer(path, 400);
            return $"{{ type: webhook, url: \"{Receiver.Url(path)}\", secretRef: {{ name: creds, key: value }} }}";
        });

        var notification = await WaitNotificationAsync(ns, n => (string?)n["status"]?["lastDelivery"]?["result"] == NotificationStatusWriter.DeliveryFailed, "failed");

        // The outcome is written once no retry is left to schedule: one request, answered 400.
        Assert.Equal([400], Receiver.At(path).Select(r => r.AnsweredWith));
        Assert.Equal(400, (int?)notification["status"]?["lastDelivery"]?["code"]);
    }

    [Fact]
    public async Task Webhook_ReceiverHangs_OtherAppsStillSync()
    {
        var path = "";
        var (ns, _) = await StartAsync("nhg", "hmac-key-hang", ns =>
        {
            path = $"/hang/{ns}";
            Receiver.Hang(path);
            return $"{{ type: webhook, url: \"{Receiver.Url(path)}\", secretRef: {{ name: creds, key: value }} }}";
        }, selector: "{ names: [app] }");
        await Eventually.WaitAsync(() => Task.FromResult(Receiver.At(path).Count > 0), TimeSpan.FromSeconds(30), "the hanging receiver got the first delivery");

        // While that delivery hangs (and is retried), another Application syncs as fast as ever.
        var other = await Fx.NewNamespaceAsync("nhg2");
        var (url, repo) = await Fx.NewRepoAsync(other);
        using var _r = repo;
        repo.Write("app/cm.yaml", AppYaml.ConfigMap("cm", "one"));
        var sha = await repo.CommitAndPushAsync("first");
        var clock = Stopwatch.StartNew();
        await Fx.ApplyYamlAsync(AppYaml.Automated(other, "other", url, "app", other, interval: "1h"));
        await Fx.WaitAppAsync(other, "other", a => OperatorFixture.IsSyncedAt(a, sha), "the other app synced", TimeSpan.FromSeconds(15));
        Console.WriteLine($"notifications: another app synced in {clock.ElapsedMilliseconds} ms while a receiver hung");
        Assert.True(Receiver.At(path).All(r => r.AnsweredWith == 0));
    }

    [Fact]
    public async Task SecretRef_SecretOnlyInAnotherNamespace_NotUsed()
    {
        // Team B has the Secret; team A's Notification names a Secret of that name, in vain.
        const string teamBKey = "team-b-hmac-9d3e";
        var teamB = await Fx.NewNamespaceAsync("nsb");
        await Fx.ApplyYamlAsync(SecretYaml(teamB, "b-creds", teamBKey));
        var path = "";
        var (ns, _) = await StartAsync("nsa", null, ns =>
        {
            path = $"/cross/{ns}";
            return $"{{ type: webhook, url: \"{Receiver.Url(path)}\", secretRef: {{ name: b-creds, key: value }} }}";
        });

        var notification = await WaitNotificationAsync(ns, n => (string?)n["status"]?["lastDelivery"]?["result"] == NotificationStatusWriter.SecretError, "the Secret is refused");

        var ready = (notification["status"]?["conditions"] as JsonArray)!.Single(c => (string?)c!["type"] == "Ready")!;
        Assert.Equal("False", (string?)ready["status"]);
        Assert.Contains($"the Secret {ns}/b-creds named by spec.target.secretRef does not exist", (string?)ready["message"], StringComparison.Ordinal);
        Assert.Empty(Receiver.At(path));
        await AssertNowhereAsync(ns, teamBKey);
    }

    [Fact]
    public async Task Notification_WebhookWithoutKey_ReadyFalseInvalidSpec()
    {
        var ns = await Fx.NewNamespaceAsync("ninv");
        await Fx.ApplyYamlAsync($$"""
            apiVersion: gitops.dev/v1alpha1
            kind: Notification
            metadata: { name: notify, namespace: {{ns}} }
            spec:
              target: { type: webhook, url: "{{Receiver.Url($"/unsigned/{ns}")}}" }
            """);

        var notification = await WaitNotificationAsync(ns, n => (n["status"]?["conditions"] as JsonArray)?.Any(c => (string?)c!["reason"] == NotificationStatusWriter.InvalidSpec) == true, "invalid");

        var ready = (notification["status"]?["conditions"] as JsonArray)!.Single(c => (string?)c!["type"] == "Ready")!;
        Assert.Equal("False", (string?)ready["status"]);
        Assert.Contains("HMAC key", (string?)ready["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadmeExample_Applied_EveryNotificationAccepted()
    {
        var readme = File.ReadAllText(Path.Combine(ToolPaths.RepoRoot, "README.md"));
        var match = System.Text.RegularExpressions.Regex.Match(readme, "<!-- notifications:begin -->\\s*```yaml\\n(?<yaml>.*?)```\\s*<!-- notifications:end -->",
            System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(match.Success, "README.md has no notifications example between its markers");
        var ns = await Fx.NewNamespaceAsync("nrd");

        await Fx.ApplyYamlAsync(match.Groups["yaml"].Value.Replace("namespace: team-a", $"namespace: {ns}", StringComparison.Ordinal));

        foreach (var name in new[] { "deploys-to-slack", "commit-status", "audit-webhook" })
            await Eventually.WaitAsync(async () => await Fx.GetAsync($"/apis/gitops.dev/v1alpha1/namespaces/{ns}/notifications/{name}") is { } n
                && (n["status"]?["conditions"] as JsonArray)?.Any(c => (string?)c!["reason"] == NotificationStatusWriter.Accepted) == true,
                TimeSpan.FromSeconds(30), $"{name} accepted");
    }

    /// <summary>
    /// A namespace with a repository of one ConfigMap, a Secret "creds" (key "value") unless
    /// <paramref name="secret"/> is null, a Notification "notify" with the target, accepted, then the
    /// Application "app"; returns the namespace and the commit.
    /// </summary>
    private async Task<(string Ns, string Sha)> StartAsync(string prefix, string? secret, Func<string, string> target, string events = "[synced]",
        string appPath = "app", Func<string, string>? secretValue = null, string selector = "{}")
    {
        var ns = await Fx.NewNamespaceAsync(prefix);
        var (url, repo) = await Fx.NewRepoAsync(ns);
        using var _ = repo;
        repo.Write("app/cm.yaml", AppYaml.ConfigMap("cm", "one"));
        var sha = await repo.CommitAndPushAsync("first");
        if (secret is not null) await Fx.ApplyYamlAsync(SecretYaml(ns, "creds", secretValue?.Invoke(ns) ?? secret));
        await Fx.ApplyYamlAsync($"""
            apiVersion: gitops.dev/v1alpha1
            kind: Notification
            metadata: {"{"} name: notify, namespace: {ns} {"}"}
            spec:
              events: {events}
              selector: {selector}
              target: {target(ns)}
            """);
        await WaitNotificationAsync(ns, n => (n["status"]?["conditions"] as JsonArray)?.Any(c => (string?)c!["reason"] == NotificationStatusWriter.Accepted) == true, "accepted");
        await Fx.ApplyYamlAsync(AppYaml.Automated(ns, "app", url, appPath, ns, interval: "1h"));
        return (ns, sha);
    }

    private static string SecretYaml(string ns, string name, string value) => $$"""
        apiVersion: v1
        kind: Secret
        metadata: { name: {{name}}, namespace: {{ns}} }
        stringData:
          value: "{{value}}"
        """;

    private Task<ReceivedRequest> WaitRequestAsync(string path, string? rawPath = null) =>
        Eventually.WaitAsync(() => Task.FromResult(Receiver.At(path).FirstOrDefault() ?? (rawPath is null ? null : Receiver.At(rawPath).FirstOrDefault())),
            TimeSpan.FromSeconds(30), $"a request at {path}; got {string.Join(", ", Receiver.Received.Select(r => r.Path))}");

    private Task<JsonObject> WaitNotificationAsync(string ns, Func<JsonObject, bool> condition, string what) =>
        Eventually.WaitAsync(async () => await Fx.GetAsync($"/apis/gitops.dev/v1alpha1/namespaces/{ns}/notifications/notify") is { } n && condition(n) ? n : null,
            TimeSpan.FromSeconds(30), what);

    private async Task RefreshAndWaitAsync(string ns)
    {
        var at = DateTime.UtcNow.ToString("O");
        await Fx.KubectlOkAsync("annotate", "--overwrite", "-n", ns, "applications.gitops.dev/app", $"gitops.dev/refresh-requested-at={at}");
        await Fx.WaitAppAsync(ns, "app", a => (string?)a["status"]?["handledRequests"]?["refreshRequestedAt"] == at, "refresh handled");
    }

    /// <summary>A Secret value is in no log line, no Notification or Application, no Event of the namespace.</summary>
    private async Task AssertNowhereAsync(string ns, string value)
    {
        Assert.DoesNotContain(value, nf.Logs.ToString(), StringComparison.Ordinal);
        foreach (var path in new[] { $"/apis/gitops.dev/v1alpha1/namespaces/{ns}/notifications", $"/apis/gitops.dev/v1alpha1/namespaces/{ns}/applications" })
            Assert.DoesNotContain(value, (await Fx.GetAsync(path))?.ToJsonString() ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(value, (await Fx.EventsAsync(ns))?.ToJsonString() ?? "", StringComparison.Ordinal);
    }
}
