using System.Text.RegularExpressions;

namespace GitOps.Operator.Tests.Install;

/// <summary>One sandbox with the CRDs and the namespaces the values cases name.</summary>
public sealed class ChartSandboxFixture : IAsyncLifetime
{
    internal InstallSandbox Sandbox { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = await InstallSandbox.StartAsync();
        await Sandbox.CreateNamespacesAsync([InstallPaths.Namespace, .. ValuesCases.Namespaces]);
        await Sandbox.InstallCrdsAsync();
    }

    public async Task DisposeAsync() => await Sandbox.DisposeAsync();
}

/// <summary>The chart and deploy/install.yaml against the sandbox, through the real kubectl and helm.</summary>
[Trait("Category", "Integration")]
public sealed partial class ChartIntegrationTests(ChartSandboxFixture fx) : IClassFixture<ChartSandboxFixture>
{
    public static TheoryData<string> Cases() => ValuesCases.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Template_ValuesCase_ServerSideDryRunAccepted(string caseName)
    {
        var yaml = await InstallTools.TemplateAsync(ValuesCases.WriteValues(fx.Sandbox.Dir, caseName));
        var documents = KindLine().Matches(yaml).Count;
        var result = await fx.Sandbox.KubectlAsync(yaml, "apply", "--server-side", "--dry-run=server", "--field-manager=install-test", "-f", "-");
        Assert.True(result.ExitCode == 0, $"{caseName}: {result}");
        var applied = result.StdOut.Split('\n').Count(l => l.Contains("(server dry run)", StringComparison.Ordinal));
        Assert.Equal(documents, applied);
    }

    [Fact]
    public async Task SelfManageExample_ServerSideDryRunAccepted()
    {
        var result = await fx.Sandbox.KubectlAsync(null, "apply", "--server-side", "--dry-run=server", "-f", InstallPaths.SelfManageExample);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("application.gitops.dev/gitops-operator serverside-applied (server dry run)", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelmInstall_ThenUninstall_LeavesOnlyTheCrd()
    {
        await using var sandbox = await InstallSandbox.StartAsync();
        const string selector = "app.kubernetes.io/instance=" + InstallPaths.Release;
        const string kinds = "deployments,services,serviceaccounts,poddisruptionbudgets,roles,rolebindings";
        const string clusterKinds = "clusterroles,clusterrolebindings";

        await sandbox.HelmOkAsync("install", InstallPaths.Release, InstallPaths.Chart, "--namespace", InstallPaths.Namespace,
            "--create-namespace", "--wait", "--timeout", "90s");

        Assert.Contains("applications.gitops.dev", await sandbox.KubectlOkAsync(null, "get", "crd", "-o", "name"), StringComparison.Ordinal);
        var installed = await sandbox.KubectlOkAsync(null, "get", kinds, "-A", "-l", selector, "-o", "name");
        foreach (var expected in new[] { "deployment.apps/gitops-operator", "service/gitops-operator", "serviceaccount/gitops-operator",
                     "poddisruptionbudget.policy/gitops-operator", "role.rbac.authorization.k8s.io/gitops-operator-leader-election" })
            Assert.Contains(expected, installed, StringComparison.Ordinal);
        Assert.Contains("clusterrole.rbac.authorization.k8s.io/gitops-operator-manage",
            await sandbox.KubectlOkAsync(null, "get", clusterKinds, "-l", selector, "-o", "name"), StringComparison.Ordinal);
        var ready = await sandbox.KubectlOkAsync(null, "get", "deployment", InstallPaths.Release, "-n", InstallPaths.Namespace,
            "-o", "jsonpath={.status.readyReplicas}");
        Assert.Equal("2", ready.Trim());

        await sandbox.HelmOkAsync("uninstall", InstallPaths.Release, "--namespace", InstallPaths.Namespace, "--wait", "--timeout", "90s");

        Assert.Equal("", (await sandbox.KubectlOkAsync(null, "get", kinds, "-A", "-l", selector, "-o", "name")).Trim());
        Assert.Equal("", (await sandbox.KubectlOkAsync(null, "get", clusterKinds, "-l", selector, "-o", "name")).Trim());
        Assert.Equal("", (await sandbox.KubectlOkAsync(null, "get", "secrets", "-n", InstallPaths.Namespace, "-l", "owner=helm", "-o", "name")).Trim());
        // helm never deletes what it installed from crds/ (Applications would go with it): the CRD stays.
        Assert.Contains("applications.gitops.dev", await sandbox.KubectlOkAsync(null, "get", "crd", "-o", "name"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallYaml_ServerSideApply_InstallsEverything()
    {
        await using var sandbox = await InstallSandbox.StartAsync();

        var result = await sandbox.KubectlAsync(null, "apply", "--server-side", "-f", InstallPaths.InstallYaml);

        Assert.True(result.ExitCode == 0, result.ToString());
        await sandbox.KubectlOkAsync(null, "wait", "--for=condition=Established", "crd/applications.gitops.dev", "--timeout=30s");
        await sandbox.KubectlOkAsync(null, "rollout", "status", "deployment/gitops-operator", "-n", InstallPaths.Namespace, "--timeout=60s");
        var documents = KindLine().Matches(File.ReadAllText(InstallPaths.InstallYaml)).Count;
        Assert.Equal(documents, result.StdOut.Split('\n').Count(l => l.Contains("serverside-applied", StringComparison.Ordinal)));
    }

    [GeneratedRegex("^kind: ", RegexOptions.Multiline)]
    private static partial Regex KindLine();
}
