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

        await fx.ApplyYamlAsync($$"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: repo-creds
              namespace: {{ns}}
            stringData:
              username: {{User}}
              password: {{WrongPassword}}
            """);
        await fx.ApplyYamlAsync(AppYaml.Automated(ns, "app", git.RepoUrl("private"), "app", ns, extraSpec: "    secretRef:\n      name: repo-creds"));
        var app = await fx.WaitAppAsync(ns, "app", a => OperatorFixture.HasCondition(a, "SourceError"), "SourceError");
        Assert.Contains("auth", OperatorFixture.ConditionMessage(app, "SourceError"), StringComparison.OrdinalIgnoreCase);
        var events = await fx.GetAsync($"/api/v1/namespaces/{ns}/events");
        var metrics = await new HttpClient().GetStringAsync(new Uri(fx.OperatorAddress, "/metrics"));
        foreach (var text in new[] { app.ToJsonString(), events!.ToJsonString(), fx.Logs.ToString(), metrics })
        {
            Assert.DoesNotContain(WrongPassword, text);
            Assert.DoesNotContain(Password, text);
        }

        await fx.ApplyYamlAsync($$"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: repo-creds
              namespace: {{ns}}
            stringData:
              username: {{User}}
              password: {{Password}}
            """);
        await fx.KubectlOkAsync("annotate", "--overwrite", "-n", ns, "applications.gitops.dev/app", $"gitops.dev/refresh-requested-at={DateTime.UtcNow:O}");
        await fx.WaitAppAsync(ns, "app", a => OperatorFixture.IsSyncedAt(a, revision), "synced once the password is right", TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(Password, fx.Logs.ToString());
    }
}
