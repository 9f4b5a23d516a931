using System.Text;
using System.Text.Json.Nodes;
using GitOps.Operator.Render.Sops;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// Secrets from Git, encrypted with SOPS and age, through the real operator: decrypted in memory with
/// the Application's own keys, refused when tampered with, never seen in logs, status, Events or metrics;
/// and never handed to another Application that lacks the keys, whatever the caches hold.
/// </summary>
[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SopsTests(OperatorFixture fx)
{
    [Fact]
    public async Task EncryptedSecret_InGit_LiveSecretDecryptedTamperingRefusedNoValueLeaks()
    {
        using var s = await Scenario.StartAsync(fx, "sops");
        var identity = AgeIdentity.Generate();
        await SopsKit.CreateKeySecretAsync(fx, s.Namespace, identity);
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var encrypted = SopsKit.EncryptYaml(SopsKit.Secret("db", password), identity);
        var first = await s.PushAsync("an encrypted Secret", ("app/db.sops.yaml", encrypted), ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));

        await s.CreateAppAsync(extraSpec: SopsKit.DecryptionSpec());
        await s.WaitSyncedAsync(first);

        Assert.Equal(password, await SopsKit.SecretValueAsync(fx, s.Namespace, "db", "password"));
        var live = await fx.GetAsync($"/api/v1/namespaces/{s.Namespace}/secrets/db");
        Assert.Null(live!["sops"]);
        Assert.Equal("web", (string?)live["metadata"]?["labels"]?["app"]);

        // One byte changed in a value the MAC covers (the label, left unencrypted): refused, nothing applied or pruned.
        var tampered = encrypted.Replace("app: web", "app: wec", StringComparison.Ordinal);
        Assert.NotEqual(encrypted, tampered);
        await s.PushAsync("tampered", ("app/db.sops.yaml", tampered), ("app/cm.yaml", AppYaml.ConfigMap("settings", "v2")));
        await s.RefreshAsync();
        var app = await s.WaitAsync(a => SopsKit.RenderErrorSays(a, "MAC mismatch"), "the tampered file refused");

        Assert.Contains("app/db.sops.yaml", OperatorFixture.ConditionMessage(app, "RenderError"), StringComparison.Ordinal);
        Assert.Equal("v1", (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"]);
        Assert.Equal(password, await SopsKit.SecretValueAsync(fx, s.Namespace, "db", "password"));
        Assert.Equal("web", (string?)(await fx.GetAsync($"/api/v1/namespaces/{s.Namespace}/secrets/db"))?["metadata"]?["labels"]?["app"]);

        // The secret scan: the value, in plain or base64, is nowhere the operator reports.
        var events = (await fx.EventsAsync(s.Namespace))!.ToJsonString();
        using var http = new HttpClient { BaseAddress = fx.OperatorAddress };
        var metrics = await http.GetStringAsync("/metrics");
        var places = new Dictionary<string, string>
        {
            ["operator log"] = fx.Logs.ToString(),
            ["Application status"] = app.ToJsonString(),
            ["Events"] = events,
            ["/metrics"] = metrics,
        };
        Assert.Contains(s.Namespace, places["operator log"], StringComparison.Ordinal); // the log does hold this app's lines
        foreach (var (place, text) in places)
            foreach (var form in new[] { password, Convert.ToBase64String(Encoding.UTF8.GetBytes(password)) })
                Assert.False(text.Contains(form, StringComparison.Ordinal), $"the decrypted value appears in the {place}");
    }

    /// <summary>
    /// Two parties on one repository, commit and path: A holds the right key; B a wrong one, C a
    /// Secret that does not exist, D no spec.decryption. Only A's Secret is created, whatever A's
    /// render left in the caches; and when A's key Secret changes, A is refused at once too.
    /// </summary>
    [Fact]
    public async Task SameRepoCommitPath_OnlyTheApplicationWithTheRightKeyGetsTheDecryptedRender()
    {
        using var s = await Scenario.StartAsync(fx, "sops2p");
        var (right, wrong) = (AgeIdentity.Generate(), AgeIdentity.Generate());
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var commit = await s.PushAsync("an encrypted Secret", ("app/db.sops.yaml", SopsKit.EncryptYaml(SopsKit.Secret("db", password), right)));
        await SopsKit.CreateKeySecretAsync(fx, s.Namespace, right);
        await s.CreateAppAsync(extraSpec: SopsKit.DecryptionSpec());
        await s.WaitSyncedAsync(commit);
        Assert.Equal(password, await SopsKit.SecretValueAsync(fx, s.Namespace, "db", "password"));

        async Task<JsonObject> OtherPartyAsync(string prefix, AgeIdentity? key, string extraSpec, string expected)
        {
            var ns = await fx.NewNamespaceAsync(prefix);
            if (key is not null) await SopsKit.CreateKeySecretAsync(fx, ns, key);
            await fx.ApplyYamlAsync(AppYaml.Automated(ns, "app", s.Url, "app", ns, extraSpec: extraSpec));
            var app = await fx.WaitAppAsync(ns, "app", a => SopsKit.RenderErrorSays(a, expected), $"{prefix} refused: {expected}");
            Assert.Null(await fx.GetAsync($"/api/v1/namespaces/{ns}/secrets/db"));
            Assert.DoesNotContain(password, app.ToJsonString(), StringComparison.Ordinal);
            return app;
        }

        var b = await OtherPartyAsync("sops-b", wrong, SopsKit.DecryptionSpec(), "cannot be decrypted with the keys given");
        Assert.Contains(wrong.Recipient.ToString(), OperatorFixture.ConditionMessage(b, "RenderError"), StringComparison.Ordinal);
        await OtherPartyAsync("sops-c", null, SopsKit.DecryptionSpec("no-such-secret"), "does not exist");
        await OtherPartyAsync("sops-d", null, "", "is SOPS-encrypted; set spec.decryption");

        // A's Secret now holds the wrong key: the next reconcile reads it and is refused; the live Secret stays.
        await SopsKit.CreateKeySecretAsync(fx, s.Namespace, wrong);
        await s.RefreshAsync();
        await s.WaitAsync(a => SopsKit.RenderErrorSays(a, "cannot be decrypted with the keys given"), "A refused after its key changed");
        Assert.Equal(password, await SopsKit.SecretValueAsync(fx, s.Namespace, "db", "password"));
    }
}
