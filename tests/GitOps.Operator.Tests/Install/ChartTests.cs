using System.Text.Json;
using System.Text.RegularExpressions;
using GitOps.Testing;
using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace GitOps.Operator.Tests.Install;

/// <summary>The chart on its own: lint, schema, rendered content, and the copies it must keep equal.</summary>
public sealed partial class ChartTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gitops-chart-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    public static TheoryData<string> Cases() => ValuesCases.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HelmLintStrict_ValuesCase_Passes(string caseName)
    {
        var result = await InstallTools.HelmAsync("lint", "--strict", InstallPaths.Chart, "-f", ValuesCases.WriteValues(_dir, caseName));
        Assert.True(result.ExitCode == 0, $"helm lint --strict with '{caseName}': {result}");
    }

    public static TheoryData<string, string, string> BadValues_TestData() => new()
    {
        { "workers below 1", "workers: 0", "/workers" },
        { "unknown key", "replica: 2", "replica" },
        { "pull policy", "image: { pullPolicy: Sometimes }", "/image/pullPolicy" },
        { "log level", "logLevel: loud", "/logLevel" },
        { "namespace name", "watchNamespace: Not_A_Namespace", "/watchNamespace" },
        { "digest", "image: { digest: latest }", "/image/digest" },
        { "empty managed rules", "rbac: { manage: { rules: [] } }", "/rbac/manage/rules" },
    };

    [Theory]
    [MemberData(nameof(BadValues_TestData))]
    public async Task Template_InvalidValues_RejectedBySchema(string caseName, string values, string expectedPath)
    {
        var file = Path.Combine(_dir, "bad.yaml");
        await File.WriteAllTextAsync(file, values + "\n");
        var result = await InstallTools.HelmAsync("template", "t", InstallPaths.Chart, "-f", file);
        Assert.True(result.ExitCode != 0, $"{caseName}: helm template accepted {values}");
        Assert.Contains(expectedPath, result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_TwoReplicasWithoutLeaderElection_Fails()
    {
        var file = Path.Combine(_dir, "bad.yaml");
        await File.WriteAllTextAsync(file, "replicas: 2\nleaderElection: false\n");
        var result = await InstallTools.HelmAsync("template", "t", InstallPaths.Chart, "-f", file);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("leaderElection: false needs replicas: 1", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void ValuesCases_CoverEveryTopLevelValue()
    {
        var documented = TopLevelKeys(File.ReadAllText(InstallPaths.ChartValues));
        var exercised = ValuesCases.All.Values.SelectMany(v => TopLevelKeys(v)).ToHashSet();
        var missing = documented.Where(k => !exercised.Contains(k)).ToList();
        Assert.True(missing.Count == 0, $"values without a case in ValuesCases: {string.Join(", ", missing)}");
    }

    [Fact]
    public void ChartCrd_EqualsRepositoryCrd()
    {
        Assert.Equal(File.ReadAllText(InstallPaths.Crd), File.ReadAllText(InstallPaths.ChartCrd));
    }

    [Fact]
    public void ChartCrds_EveryRepositoryCrdCopiedUnchanged()
    {
        var repository = Directory.GetFiles(Path.GetDirectoryName(InstallPaths.Crd)!, "*.yaml").Select(Path.GetFileName).Order().ToList();
        var chart = Directory.GetFiles(Path.GetDirectoryName(InstallPaths.ChartCrd)!, "*.yaml").Select(Path.GetFileName).Order().ToList();

        Assert.Equal(repository, chart);
        Assert.Contains("notification.yaml", repository);
        Assert.All(repository, name => Assert.True(
            File.ReadAllText(Path.Combine(Path.GetDirectoryName(InstallPaths.Crd)!, name!)) == File.ReadAllText(Path.Combine(Path.GetDirectoryName(InstallPaths.ChartCrd)!, name!)),
            $"charts/gitops-operator/crds/{name} differs from crds/{name}"));
    }

    [Fact]
    public async Task InstallYaml_IsFreshFromChart()
    {
        var fresh = Path.Combine(_dir, "install.yaml");
        var result = await ProcessRunner.RunAsync("bash", [InstallPaths.RenderScript, fresh]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.ReadAllText(fresh) == File.ReadAllText(InstallPaths.InstallYaml),
            "deploy/install.yaml is stale: run scripts/render-install.sh and commit the result");
    }

    [Fact]
    public async Task PrometheusRule_Groups_EqualChartRuleFile()
    {
        var rendered = await RenderAsync("prometheus-rule");
        var rule = Assert.Single(rendered.OfType<Dictionary<object, object>>(), d => (d["kind"] as string) == "PrometheusRule");
        var groups = ((Dictionary<object, object>)rule["spec"])["groups"];
        var file = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(File.ReadAllText(InstallPaths.ChartAlertRules));
        Assert.Equal(ToJson(file["groups"]), ToJson(groups));
    }

    [Fact]
    public async Task ChartRuleFile_PassesPromtoolCheck()
    {
        var result = await ProcessRunner.RunAsync(ToolPaths.Promtool, ["check", "rules", InstallPaths.ChartAlertRules]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [FactWhenRepoFileExists("deploy/alerts/gitops-alerts.rules.yaml",
        "the alert rules are written in another branch; until they land the chart carries a placeholder group")]
    public void ChartRuleFile_EqualsDeployAlertRules()
    {
        Assert.True(File.ReadAllText(InstallPaths.AlertRules).ReplaceLineEndings() == File.ReadAllText(InstallPaths.ChartAlertRules).ReplaceLineEndings(),
            "charts/gitops-operator/files/gitops-alerts.rules.yaml differs from deploy/alerts/gitops-alerts.rules.yaml: copy it over");
    }

    [Fact]
    public async Task Defaults_DeploymentIsHardenedAndHighlyAvailable()
    {
        var objects = TypedManifests.LoadAll(await InstallTools.TemplateAsync(ValuesCases.WriteValues(_dir, "defaults")));
        var deployment = Assert.Single(objects.OfType<V1Deployment>());
        Assert.Equal(2, deployment.Spec.Replicas);
        var pod = deployment.Spec.Template.Spec;
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.Equal(2, pod.TopologySpreadConstraints.Count);
        var container = Assert.Single(pod.Containers);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.NotNull(container.Resources.Requests["memory"]);
        Assert.NotNull(container.Resources.Limits["memory"]);
        Assert.Contains("--listen=0.0.0.0:8080", container.Args);
        Assert.DoesNotContain("--no-leader-election", container.Args);
        Assert.Contains(container.Env, e => e.Name == "POD_NAMESPACE" && e.ValueFrom.FieldRef.FieldPath == "metadata.namespace");
        Assert.Contains(container.VolumeMounts, m => m.MountPath == "/tmp");
        Assert.Single(objects.OfType<V1PodDisruptionBudget>());
        Assert.Single(objects.OfType<V1Service>());
        Assert.Equal("ghcr.io/gitops-dev/gitops-operator:" + ChartAppVersion(), container.Image);
    }

    [Fact]
    public async Task Defaults_RbacIsLeastPrivilege()
    {
        var objects = TypedManifests.LoadAll(await InstallTools.TemplateAsync(ValuesCases.WriteValues(_dir, "defaults")));
        var clusterRoles = objects.OfType<V1ClusterRole>().ToDictionary(r => r.Metadata.Name);
        // The operator's own cluster-wide rights never include Secrets, and never write CRDs.
        var own = clusterRoles["gitops-operator"];
        Assert.DoesNotContain(own.Rules, r => r.Resources.Contains("secrets") || r.Resources.Contains("*"));
        // Notifications: read, and only their status written.
        Assert.Contains(own.Rules, r => r.Resources.SequenceEqual(["notifications"]) && r.Verbs.SequenceEqual(["get", "list", "watch"]));
        Assert.Contains(own.Rules, r => r.Resources.SequenceEqual(["notifications/status"]) && !r.Verbs.Contains("create") && !r.Verbs.Contains("delete"));
        // CRDs and Projects: read only.
        Assert.All(clusterRoles["gitops-operator-crds"].Rules, r => Assert.Equal(["get", "list", "watch"], r.Verbs));
        Assert.Equal(["customresourcedefinitions", "projects"], clusterRoles["gitops-operator-crds"].Rules.SelectMany(r => r.Resources).Order());
        // Secrets: get only, in the release namespace only.
        var secretRole = Assert.Single(objects.OfType<V1Role>(), r => r.Rules.Any(x => x.Resources.Contains("secrets")));
        Assert.Equal(InstallPaths.Namespace, secretRole.Metadata.NamespaceProperty);
        Assert.Equal(["get"], secretRole.Rules.Single().Verbs);
        // Leases: only in the release namespace, get/update only on the operator's Lease.
        var lease = Assert.Single(objects.OfType<V1Role>(), r => r.Rules.Any(x => x.Resources.Contains("leases")));
        Assert.Contains(lease.Rules, r => r.ResourceNames?.SequenceEqual(["gitops-operator"]) == true && r.Verbs.Contains("update"));
        // Managed kinds: cluster-wide write by default.
        Assert.Contains("create", clusterRoles["gitops-operator-manage"].Rules.Single().Verbs);
    }

    [Fact]
    public async Task ManageNamespaces_NoClusterWideWrite()
    {
        var objects = TypedManifests.LoadAll(await InstallTools.TemplateAsync(ValuesCases.WriteValues(_dir, "manage-namespaces")));
        Assert.DoesNotContain(objects.OfType<V1ClusterRole>(), r => r.Metadata.Name.EndsWith("-manage", StringComparison.Ordinal)
            || r.Rules.Any(x => x.Resources.Contains("*") || x.Verbs.Contains("delete")));
        var manage = objects.OfType<V1Role>().Where(r => r.Metadata.Name == "gitops-operator-manage").Select(r => r.Metadata.NamespaceProperty).Order();
        Assert.Equal(["apps", "team-a"], manage);
    }

    [Fact]
    public async Task Shards_StatefulSetOfOnePodPerShard_LeaseOfEachShardAllowed()
    {
        var objects = TypedManifests.LoadAll(await InstallTools.TemplateAsync(ValuesCases.WriteValues(_dir, "sharded")));

        Assert.Empty(objects.OfType<V1Deployment>());
        // Sharded, registered clusters are watched for their shard labels: list and watch of Secrets, in the release namespace only.
        var registrations = Assert.Single(objects.OfType<V1Role>(), r => r.Metadata.Name == "gitops-operator-cluster-registrations");
        Assert.Equal(InstallPaths.Namespace, registrations.Metadata.NamespaceProperty);
        Assert.Equal(["get", "list", "watch"], registrations.Rules.Single().Verbs);
        var set = Assert.Single(objects.OfType<V1StatefulSet>());
        Assert.Equal(3, set.Spec.Replicas);
        Assert.Equal("Parallel", set.Spec.PodManagementPolicy);
        Assert.Contains("--shards=3", set.Spec.Template.Spec.Containers.Single().Args);
        Assert.Contains(set.Spec.Template.Spec.Containers.Single().Env, e => e.Name == "POD_NAME" && e.ValueFrom?.FieldRef?.FieldPath == "metadata.name");
        var lease = objects.OfType<V1Role>().Single(r => r.Metadata.Name.EndsWith("-leader-election", StringComparison.Ordinal));
        Assert.Contains(lease.Rules, r => r.ResourceNames?.SequenceEqual(["gitops-operator", "gitops-operator-shard-0", "gitops-operator-shard-1", "gitops-operator-shard-2"]) == true);
        Assert.Equal("1", Assert.Single(objects.OfType<V1PodDisruptionBudget>()).Spec.MaxUnavailable?.Value);
    }

    /// <summary>Trust boundaries, point 2: the operator may impersonate service accounts, and nothing broader.</summary>
    [Fact]
    public async Task Rbac_ImpersonatesServiceAccountsOnly()
    {
        var objects = TypedManifests.LoadAll(await InstallTools.TemplateAsync(ValuesCases.WriteValues(_dir, "defaults")));

        var impersonation = objects.OfType<V1ClusterRole>().SelectMany(r => r.Rules).Where(r => r.Verbs.Contains("impersonate") || r.Verbs.Contains("*")).ToList();
        var rule = Assert.Single(impersonation);
        Assert.Equal([""], rule.ApiGroups);
        Assert.Equal(["serviceaccounts"], rule.Resources);
        Assert.Equal(["impersonate"], rule.Verbs);
        Assert.Contains("resources: [serviceaccounts]\n    verbs: [impersonate]", await File.ReadAllTextAsync(InstallPaths.InstallYaml), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switches_ReachTheOperatorCommandLine()
    {
        var deployment = await InstallTools.HelmOkAsync("template", InstallPaths.Release, InstallPaths.Chart, "--namespace", InstallPaths.Namespace,
            "-f", ValuesCases.WriteValues(_dir, "everything"), "--show-only", "templates/deployment.yaml");
        var args = TypedManifests.LoadAll(deployment).OfType<V1Deployment>().Single().Spec.Template.Spec.Containers.Single().Args;
        Assert.Contains("--workers=8", args);
        Assert.Contains("--namespace=apps", args);
        Assert.Contains("--default-service-account=gitops-deployer", args);
        Assert.Contains("--log-level=info", args);
        Assert.Contains("--managed-namespaces=apps,team-a", args);
        Assert.Contains($"--webhook-secret-ref={InstallPaths.Namespace}/gitops-webhook", args);
        Assert.Equal("--some-flag", args[^1]);
    }

    private async Task<List<object>> RenderAsync(string caseName)
    {
        var yaml = await InstallTools.TemplateAsync(ValuesCases.WriteValues(_dir, caseName));
        var deserializer = new DeserializerBuilder().Build();
        var parser = new YamlDotNet.Core.Parser(new StringReader(yaml));
        parser.Consume<YamlDotNet.Core.Events.StreamStart>();
        var docs = new List<object>();
        while (parser.Accept<YamlDotNet.Core.Events.DocumentStart>(out _))
        {
            if (deserializer.Deserialize(parser) is { } doc) docs.Add(doc);
        }
        return docs;
    }

    /// <summary>A YAML object graph as canonical JSON (keys sorted), to compare two documents by content.</summary>
    private static string ToJson(object? value) => JsonSerializer.Serialize(Canonical(value));

    private static object? Canonical(object? value) => value switch
    {
        Dictionary<object, object> map => new SortedDictionary<string, object?>(
            map.ToDictionary(kv => kv.Key.ToString()!, kv => Canonical(kv.Value)), StringComparer.Ordinal),
        List<object> list => list.Select(Canonical).ToList(),
        _ => value?.ToString(),
    };

    private static string ChartAppVersion() =>
        AppVersion().Match(File.ReadAllText(Path.Combine(InstallPaths.Chart, "Chart.yaml"))).Groups[1].Value;

    private static IEnumerable<string> TopLevelKeys(string yaml) =>
        yaml.Split('\n').Select(l => TopLevelKey().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value);

    [GeneratedRegex("""^([A-Za-z][A-Za-z0-9]*):""")]
    private static partial Regex TopLevelKey();

    [GeneratedRegex("""appVersion: "?([^"\n]+)"?""")]
    private static partial Regex AppVersion();
}
