using GitOps.Operator.Render.Sops;

namespace GitOps.Operator.Tests.Integration;

/// <summary>SOPS through Kustomize and Helm: decrypted after Kustomize builds (its transforms and generators), and Helm values files decrypted in memory.</summary>
[Collection(HelmKustomizeCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SopsRenderToolsTests(HelmKustomizeOperatorFixture rfx)
{
    private OperatorFixture Fx => rfx.Fx;

    [Fact]
    public async Task Kustomize_EncryptedSecretAndEncryptedEnvGenerator_BuiltThenDecrypted()
    {
        using var s = await Scenario.StartAsync(Fx, "sopskust");
        var identity = AgeIdentity.Generate();
        await SopsKit.CreateKeySecretAsync(Fx, s.Namespace, identity);
        var (password, token) = ("pw-" + Guid.NewGuid().ToString("N"), "tok-" + Guid.NewGuid().ToString("N"));
        var env = SopsDocument.Encrypt($"TOKEN={token}\nUSER=svc\n", SopsFormat.Dotenv, [identity.Recipient], SopsRules.Default, DateTimeOffset.UtcNow);
        var commit = await s.PushAsync("kustomize with SOPS",
            ("app/kustomization.yaml", $"""
                namespace: {s.Namespace}
                commonLabels: {"{"} team: payments {"}"}
                resources: [db.sops.yaml]
                secretGenerator:
                - name: api
                  envs: [api.env]
                """),
            ("app/db.sops.yaml", SopsKit.EncryptYaml(SopsKit.Secret("db", password), identity)),
            ("app/api.env", env));

        await s.CreateAppAsync(extraSpec: SopsKit.DecryptionSpec());
        await s.WaitSyncedAsync(commit);

        // Kustomize added a namespace and a label (so the object's own MAC no longer matches): the file's MAC did.
        Assert.Equal(password, await SopsKit.SecretValueAsync(Fx, s.Namespace, "db", "password"));
        Assert.Equal("payments", (string?)(await Fx.GetAsync($"/api/v1/namespaces/{s.Namespace}/secrets/db"))?["metadata"]?["labels"]?["team"]);
        var secrets = (await Fx.GetAsync($"/api/v1/namespaces/{s.Namespace}/secrets"))!["items"]!.AsArray();
        var generated = (string)secrets.Select(i => i?["metadata"]?["name"]).First(n => ((string?)n)?.StartsWith("api-", StringComparison.Ordinal) == true)!;
        Assert.Equal(token, await SopsKit.SecretValueAsync(Fx, s.Namespace, generated, "TOKEN"));
        Assert.Equal("svc", await SopsKit.SecretValueAsync(Fx, s.Namespace, generated, "USER"));
        Assert.Null(await SopsKit.SecretValueAsync(Fx, s.Namespace, generated, "sops_mac"));

        // The env file with one unencrypted byte added: refused, naming the file.
        await s.PushAsync("tampered env", ("app/api.env", env.Replace("USER=ENC", "USER_unencrypted=x\nUSER=ENC", StringComparison.Ordinal)));
        await s.RefreshAsync();
        var app = await s.WaitAsync(a => SopsKit.RenderErrorSays(a, "MAC mismatch"), "tampered env file refused");
        Assert.Contains("app/api.env", OperatorFixture.ConditionMessage(app, "RenderError"), StringComparison.Ordinal);
    }

    /// <summary>
    /// The Helm render holds decrypted values, so the render cache is where a second party could find
    /// them: B (wrong key) and C (no decryption) on the same repository, commit and path as A get none.
    /// </summary>
    [Fact]
    public async Task Helm_EncryptedValuesFile_DecryptedForItsOwnerOnly()
    {
        using var s = await Scenario.StartAsync(Fx, "sopshelm");
        var (right, wrong) = (AgeIdentity.Generate(), AgeIdentity.Generate());
        var token = "tok-" + Guid.NewGuid().ToString("N");
        var values = SopsDocument.Encrypt($"greeting: hello\ntoken: {token}\n", SopsFormat.Yaml, [right.Recipient], SopsRules.Default, DateTimeOffset.UtcNow);
        var commit = await s.PushAsync("chart with encrypted values",
            ("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n"),
            ("chart/values.yaml", "greeting: default\ntoken: none\n"),
            ("chart/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  greeting: {{ .Values.greeting | quote }}\n  token: {{ .Values.token | quote }}\n"),
            ("chart/secrets.sops.yaml", values));
        const string helm = "    helm:\n      valueFiles: [secrets.sops.yaml]\n";
        await SopsKit.CreateKeySecretAsync(Fx, s.Namespace, right);
        await s.CreateAppAsync(path: "chart", extraSpec: helm + SopsKit.DecryptionSpec());
        await s.WaitSyncedAsync(commit);
        var cm = await Fx.GetAsync($"/api/v1/namespaces/{s.Namespace}/configmaps/web");
        Assert.Equal(token, (string?)cm?["data"]?["token"]);
        Assert.Equal("hello", (string?)cm?["data"]?["greeting"]);

        foreach (var (prefix, key, spec, expected) in new[]
        {
            ("sopshelm-b", wrong, SopsKit.DecryptionSpec(), "cannot be decrypted with the keys given"),
            ("sopshelm-c", (AgeIdentity?)null, "", "is SOPS-encrypted; set spec.decryption"),
        })
        {
            var ns = await Fx.NewNamespaceAsync(prefix);
            if (key is not null) await SopsKit.CreateKeySecretAsync(Fx, ns, key);
            await Fx.ApplyYamlAsync(AppYaml.Automated(ns, "app", s.Url, "chart", ns, extraSpec: helm + spec));
            var app = await Fx.WaitAppAsync(ns, "app", a => SopsKit.RenderErrorSays(a, expected), $"{prefix}: {expected}");
            Assert.Contains("secrets.sops.yaml", OperatorFixture.ConditionMessage(app, "RenderError"), StringComparison.Ordinal);
            Assert.Null(await Fx.GetAsync($"/api/v1/namespaces/{ns}/configmaps/web"));
            Assert.DoesNotContain(token, app.ToJsonString(), StringComparison.Ordinal);
        }
    }
}
