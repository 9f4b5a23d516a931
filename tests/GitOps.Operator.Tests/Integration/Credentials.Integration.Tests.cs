using System.Text.Json.Nodes;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Integration;

[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CredentialsTests(OperatorFixture fx)
{
    private const string User = "deployer";
    private const string Password = "s3cr3t-Pa55w0rd-XYZ";
    private const string WrongPassword = "wr0ng-Pa55w0rd-QQQ";

    [Fact]
    public async Task WrongCredentials_SourceError_NoSecretAnywhere()
    {
        await using var git = await GitHttpServer.StartAsync(User, Password);
        await git.CreateBareRepoAsync("private");
        using var repo = await GitWorkTree.CloneAsync(git.RepoUrl("private"), git.ClientConfig);
        repo.Write("app/cm.yaml", AppYaml.ConfigMap("private", "1"));
        var revision = await repo.CommitAndPushAsync("first");
        var ns = await fx.NewNamespaceAsync("creds");

        await fx.ApplyYamlAsync(CredentialsSecret(ns, "repo-creds", WrongPassword));
        await fx.ApplyYamlAsync(AppYaml.Automated(ns, "app", git.RepoUrl("private"), "app", ns, extraSpec: "    secretRef:\n      name: repo-creds"));
        var app = await fx.WaitAppAsync(ns, "app", a => OperatorFixture.HasCondition(a, "SourceError"), "SourceError");
        Assert.Contains("auth", OperatorFixture.ConditionMessage(app, "SourceError"), StringComparison.OrdinalIgnoreCase);
        var events = await fx.EventsAsync(ns);
        var metrics = await new HttpClient().GetStringAsync(new Uri(fx.OperatorAddress, "/metrics"));
        foreach (var text in new[] { app.ToJsonString(), events!.ToJsonString(), fx.Logs.ToString(), metrics })
        {
            Assert.DoesNotContain(WrongPassword, text);
            Assert.DoesNotContain(Password, text);
        }

        await fx.ApplyYamlAsync(CredentialsSecret(ns, "repo-creds", Password));
        await fx.KubectlOkAsync("annotate", "--overwrite", "-n", ns, "applications.gitops.dev/app", $"gitops.dev/refresh-requested-at={DateTime.UtcNow:O}");
        await fx.WaitAppAsync(ns, "app", a => OperatorFixture.IsSyncedAt(a, revision), "synced once the password is right", TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(Password, fx.Logs.ToString());
    }

    /// <summary>Trust boundaries, point 1, through the operator: two Applications on one private repository and revision.</summary>
    [Theory]
    [InlineData("good app first", true)]
    [InlineData("wrong password first", false)]
    public async Task CredentialsBoundToApp_WrongPasswordBesideAGoodOne_SourceErrorAndNothingApplied(string caseName, bool goodFirst)
    {
        await using var git = await GitHttpServer.StartAsync(User, Password);
        await git.CreateBareRepoAsync("shared");
        using var repo = await GitWorkTree.CloneAsync(git.RepoUrl("shared"), git.ClientConfig);
        repo.Write("app/cm.yaml", AppYaml.ConfigMap("private", "1"));
        var revision = await repo.CommitAndPushAsync("first");
        var ns = await fx.NewNamespaceAsync("bound");
        var goodDest = await fx.NewNamespaceAsync("bound-good");
        var badDest = await fx.NewNamespaceAsync("bound-bad");
        await fx.ApplyYamlAsync(CredentialsSecret(ns, "good-creds", Password));
        await fx.ApplyYamlAsync(CredentialsSecret(ns, "bad-creds", WrongPassword));
        var good = AppYaml.Automated(ns, "good", git.RepoUrl("shared"), "app", goodDest, extraSpec: "    secretRef:\n      name: good-creds");
        string Bad(string interval) => AppYaml.Automated(ns, "bad", git.RepoUrl("shared"), "app", badDest, interval: interval, extraSpec: "    secretRef:\n      name: bad-creds");

        if (goodFirst)
        {
            await fx.ApplyYamlAsync(good);
            await fx.WaitAppAsync(ns, "good", a => OperatorFixture.IsSyncedAt(a, revision), $"{caseName}: good synced");
            await fx.ApplyYamlAsync(Bad("3m"));
        }
        else
        {
            await fx.ApplyYamlAsync(Bad("3m"));
            await fx.WaitAppAsync(ns, "bad", a => OperatorFixture.HasCondition(a, "SourceError"), $"{caseName}: bad refused");
            await fx.ApplyYamlAsync(good);
            await fx.WaitAppAsync(ns, "good", a => OperatorFixture.IsSyncedAt(a, revision), $"{caseName}: good synced");
        }
        await fx.WaitAppAsync(ns, "bad", a => OperatorFixture.HasCondition(a, "SourceError"), $"{caseName}: bad refused");
        // Reconciled again with the good app's commit and tree in every cache: still refused.
        await fx.ApplyYamlAsync(Bad("4m"));
        var bad = await fx.WaitAppAsync(ns, "bad", a => (long?)a["status"]?["observedGeneration"] == (long?)a["metadata"]?["generation"], $"{caseName}: bad reconciled again");

        Assert.True(OperatorFixture.HasCondition(bad, "SourceError"), $"{caseName}: {bad["status"]?.ToJsonString()}");
        Assert.Contains("username/password from Secret " + ns + "/bad-creds was refused", OperatorFixture.ConditionMessage(bad, "SourceError"), StringComparison.Ordinal);
        Assert.NotEqual("Synced", (string?)bad["status"]?["sync"]?["status"]);
        Assert.Null(await fx.GetAsync($"/api/v1/namespaces/{badDest}/configmaps/private"));
        Assert.NotNull(await fx.GetAsync($"/api/v1/namespaces/{goodDest}/configmaps/private"));
        Assert.DoesNotContain(WrongPassword, fx.Logs.ToString());
        Assert.DoesNotContain(Password, fx.Logs.ToString());
    }

    private static string CredentialsSecret(string ns, string name, string password) => $$"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: {{name}}
          namespace: {{ns}}
        stringData:
          username: {{User}}
          password: {{password}}
        """;
}
