using System.Text.Json.Nodes;
using GitOps.Operator.Tests.Integration;
using GitOps.Sandbox;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Cli;

[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CommandsTests(OperatorFixture fx)
{
    private Task<CliRun.Result> Gitops(params string[] args) => CliRun.RunAsync([.. args, "--kubeconfig", fx.KubeconfigPath]);

    private async Task<(Scenario S, string Revision)> SyncedAsync(string prefix, bool automated = true)
    {
        var s = await Scenario.StartAsync(fx, prefix);
        var rev = await s.PushAsync("first", ("app/cm.yaml", AppYaml.ConfigMap("settings", "git")));
        await s.CreateAppAsync(automated: automated);
        if (automated) await s.WaitSyncedAsync(rev);
        return (s, rev);
    }

    [Fact]
    public async Task Status_List_TableAndJson()
    {
        var (s, rev) = await SyncedAsync("clistat");
        using var _ = s;

        var table = await Gitops("status", "-n", s.Namespace);
        var json = await Gitops("status", "-A", "-o", "json");

        Assert.True(table.ExitCode == 0, table.ToString());
        var lines = table.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+SYNC\s+HEALTH\s+REVISION\s+AGE$", lines[0]);
        Assert.Matches($@"^app\s+Synced\s+Healthy\s+{rev[..12]}\s+\d+s$", lines[1]);
        var items = JsonNode.Parse(json.Out)!["items"]!.AsArray();
        Assert.Contains(items, a => (string?)a!["metadata"]!["namespace"] == s.Namespace && (string?)a["status"]!["sync"]!["status"] == "Synced");
        Assert.DoesNotContain("managedFields", json.Out);
    }

    [Fact]
    public async Task Status_OneApp_ConditionsAndResources()
    {
        var (s, _) = await SyncedAsync("clione");
        using var _s = s;

        var result = await Gitops("status", "app", "-n", s.Namespace);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"Sync:\s+Synced", result.Out);
        Assert.Matches(@"Ready\s+True\s+", result.Out);
        Assert.Matches($@"ConfigMap\s+{s.Namespace}\s+settings\s+Synced", result.Out);
    }

    [Fact]
    public async Task Status_MissingApp_OneLineErrorExitOne()
    {
        var result = await Gitops("status", "nope", "-n", "default");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("gitops status: Application default/nope not found (list them with `gitops status -A`, or pick the namespace with -n)\n", result.Err);
    }

    [Fact]
    public async Task Status_NoCrd_OneLineErrorSaysHowToInstall()
    {
        await using var bare = await SandboxServer.StartAsync();
        var kubeconfig = bare.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"gitops-cli-{Guid.NewGuid():N}.kubeconfig"));

        var result = await CliRun.RunAsync("status", "--kubeconfig", kubeconfig);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the Application CRD (applications.gitops.dev) is not installed", result.Err);
        Assert.Contains("kubectl apply -f crds/application.yaml", result.Err);
        Assert.Single(result.Err.Trim().Split('\n'));
        File.Delete(kubeconfig);
    }

    [Fact]
    public async Task Sync_ManualApp_WaitReturnsWhenSynced()
    {
        var (s, rev) = await SyncedAsync("clisync", automated: false);
        using var _ = s;

        var result = await Gitops("sync", "app", "-n", s.Namespace, "--wait", "--timeout", "60s");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{s.Namespace}/app synced at {rev[..12]} and healthy", result.Out);
        Assert.Equal("git", (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"]);
    }

    [Fact]
    public async Task Wait_Timeout_ExitOneWithWhereItStands()
    {
        var (s, _) = await SyncedAsync("cliwait", automated: false);
        using var _s = s;

        var result = await Gitops("wait", "app", "-n", s.Namespace, "--for", "synced", "--timeout", "1s");

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"^gitops wait: timed out after 1s waiting for .*/app to be synced; now sync", result.Err);
    }

    [Fact]
    public async Task RefreshHistoryRollback_NewCommit_PinsTheOldRevision()
    {
        var (s, first) = await SyncedAsync("clihist");
        using var _ = s;
        var second = await s.PushAsync("second", ("app/cm.yaml", AppYaml.ConfigMap("settings", "v2")));

        var refresh = await Gitops("refresh", "app", "-n", s.Namespace, "--wait");
        Assert.True(refresh.ExitCode == 0, refresh.ToString());
        await s.WaitSyncedAsync(second);
        var history = await Gitops("history", "app", "-n", s.Namespace, "-o", "json");
        var firstId = JsonNode.Parse(history.Out)!.AsArray().First(h => (string?)h!["revision"] == first)!["id"]!.ToString();
        var rollback = await Gitops("rollback", "app", firstId, "-n", s.Namespace);
        await s.WaitSyncedAsync(first);
        var table = await Gitops("history", "app", "-n", s.Namespace);

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Equal("git", (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"]);
        Assert.Matches($@"{firstId}\s+{first}\s+\S+\s+pinned by rollback", table.Out);
        var missing = await Gitops("rollback", "app", "99", "-n", s.Namespace);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("has no history entry 99", missing.Err);
    }

    [Fact]
    public async Task SuspendResume_SpecSuspend_ShownInStatus()
    {
        var (s, _) = await SyncedAsync("clisusp");
        using var _s = s;

        var suspend = await Gitops("suspend", "app", "-n", s.Namespace);
        await s.WaitAsync(a => (string?)a["status"]?["health"]?["status"] == "Suspended", "suspended");
        var table = await Gitops("status", "-n", s.Namespace);
        var resume = await Gitops("resume", "app", "-n", s.Namespace);
        await s.WaitAsync(a => (string?)a["status"]?["health"]?["status"] == "Healthy", "resumed");

        Assert.True(suspend.ExitCode == 0 && resume.ExitCode == 0, suspend + "\n" + resume);
        Assert.Matches(@"app\s+Suspended\s+Suspended", table.Out);
    }

    [Fact]
    public async Task Hold_ManagedObject_EditKeptThenClearHeals()
    {
        var (s, _) = await SyncedAsync("clihold");
        using var _s = s;

        var hold = await Gitops("hold", "cm/settings", "-n", s.Namespace, "--for", "10m", "--reason", "incident 42");
        await fx.KubectlOkAsync("patch", "-n", s.Namespace, "configmap", "settings", "--type=merge", "-p", "{\"data\":{\"value\":\"hotfix\"}}");
        await s.WaitAsync(a => OperatorFixture.HasCondition(a, "DriftHeld"), "DriftHeld");
        Assert.Equal("hotfix", (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"]);
        var clear = await Gitops("hold", "configmap/settings", "-n", s.Namespace, "--clear");
        await Eventually.WaitAsync(async () => (string?)(await s.ConfigMapAsync("settings"))?["data"]?["value"] == "git", TimeSpan.FromSeconds(15), "healed after the hold ended");

        Assert.True(hold.ExitCode == 0, hold.ToString());
        Assert.Contains("self-heal held until", hold.Out);
        Assert.True(clear.ExitCode == 0, clear.ToString());
        var noReason = await Gitops("hold", "cm/settings", "-n", s.Namespace);
        Assert.Equal(1, noReason.ExitCode);
        Assert.Contains("--reason", noReason.Err);
    }

    [Fact]
    public async Task Diff_LiveDriftAndLocalCheckout_PlanWithUnifiedDiffsSecretsMasked()
    {
        var (s, _) = await SyncedAsync("clidiff", automated: false);
        using var _s = s;
        await Gitops("sync", "app", "-n", s.Namespace, "--wait", "--timeout", "60s");
        await fx.KubectlOkAsync("patch", "-n", s.Namespace, "configmap", "settings", "--type=merge", "-p", "{\"data\":{\"value\":\"edited\"}}");

        var live = await Gitops("diff", "app", "-n", s.Namespace, "--exit-code");
        s.Repo.Write("app/cm.yaml", AppYaml.ConfigMap("settings", "local"));
        s.Repo.Write("app/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: hunter2\n");
        var local = await Gitops("diff", "--local", s.Repo.Path, "app", "-n", s.Namespace, "-o", "json");

        Assert.True(live.ExitCode == 1, live.ToString());
        Assert.Contains("Plan of a sync of", live.Out);
        Assert.Contains($"Apply ConfigMap/{s.Namespace}/settings", live.Out);
        Assert.Contains("-  value: edited", live.Out);
        Assert.Contains("+  value: git", live.Out);
        Assert.True(local.ExitCode == 0, local.ToString());
        var plan = JsonNode.Parse(local.Out)!;
        Assert.Equal(2, (int)plan["summary"]!["apply"]!);
        Assert.Contains("+  value: local", local.Out.Replace("\\n", "\n", StringComparison.Ordinal));
        Assert.DoesNotContain("hunter2", local.Out);
        Assert.DoesNotContain("aHVudGVyMg", local.Out);
        // The plain Secret would be refused by the default guardrail: the diff says so before a push.
        var violation = Assert.Single(plan["violations"]!.AsArray());
        Assert.Equal("no-plain-secrets", (string?)violation!["rule"]);
        Assert.Equal($"Secret/{s.Namespace}/creds", (string?)violation["object"]);
        Assert.Equal("Block", (string?)violation["action"]);
    }

    [Fact]
    public async Task AnyCommand_UnreachableCluster_OneLineErrorExitOne()
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"gitops-cli-{Guid.NewGuid():N}.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, (await File.ReadAllTextAsync(fx.KubeconfigPath)).Replace(fx.Sandbox?.BaseAddress.Port.ToString() ?? "x", "1", StringComparison.Ordinal));
        try
        {
            var result = await CliRun.RunAsync("sync", "app", "--kubeconfig", kubeconfig);

            Assert.Equal(1, result.ExitCode);
            Assert.StartsWith("gitops sync: cannot reach the Kubernetes API", result.Err);
            Assert.Single(result.Err.Trim().Split('\n'));
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }
}
