using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Engine.Model;
using GitOps.Operator.Tests.Integration;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Cli;

/// <summary>
/// `gitops cluster add|list|remove` against two sandboxes: the operator's (the fixture's, whose operator
/// reads registrations from namespace default, its lease namespace) and a remote one serving HTTPS with RBAC.
/// </summary>
[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ClusterCommandTests(OperatorFixture fx, RemoteClusterFixture remote) : IClassFixture<RemoteClusterFixture>, IDisposable
{
    private const string Ns = "default";
    private readonly string _dir = Directory.CreateTempSubdirectory("gitops-cluster-cli-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    private string AdminToken => Line(remote.AdminKubeconfig, "token: ");

    private static string Line(string text, string prefix) =>
        text.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>Runs `gitops cluster …` against the operator's sandbox (the registration side).</summary>
    private async Task<CliRun.Result> ClusterAsync(params string[] args)
    {
        string[] ns = args.Contains("-n") ? [] : ["-n", Ns];
        string[] withOperator = args[0] == "add"
            ? [.. args, "--operator-kubeconfig", fx.KubeconfigPath, .. ns]
            : [.. args, "--kubeconfig", fx.KubeconfigPath, .. ns];
        var result = await CliRun.RunAsync(["cluster", .. withOperator]);
        Assert.DoesNotContain(AdminToken, result.Out + result.Err, StringComparison.Ordinal);
        return result;
    }

    /// <summary>The remote cluster's admin kubeconfig, its CA in a file beside it (a relative reference), with a second context that must not be registered.</summary>
    private string KubeconfigWithCaFile(string? server = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8])).FullName;
        File.WriteAllBytes(Path.Combine(folder, "remote-ca.pem"), Convert.FromBase64String(Line(remote.AdminKubeconfig, "certificate-authority-data: ")));
        var path = Path.Combine(folder, "config");
        File.WriteAllText(path, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: remote
              cluster:
                server: {{server ?? remote.Sandbox.BaseAddress.ToString().TrimEnd('/')}}
                certificate-authority: remote-ca.pem
            - name: laptop
              cluster: { server: "https://laptop.invalid:6443" }
            users:
            - name: remote-admin
              user: { token: {{AdminToken}} }
            - name: laptop-user
              user: { token: laptop-token }
            contexts:
            - name: laptop
              context: { cluster: laptop, user: laptop-user }
            - name: remote
              context: { cluster: remote, user: remote-admin }
            current-context: laptop
            """);
        return path;
    }

    private Task<JsonObject?> SecretAsync(string cluster) => fx.GetAsync($"/api/v1/namespaces/{Ns}/secrets/gitops-cluster-{cluster}");

    private static string KubeconfigIn(JsonObject secret) => Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]!["value"]!));

    [Fact]
    public async Task Add_KubeconfigWithCaFile_SecretHoldsEmbeddedDataOfThatContextOnly()
    {
        var name = NewName("ca");
        var kubeconfig = KubeconfigWithCaFile();

        var add = await ClusterAsync("add", name, "--kubeconfig", kubeconfig, "--context", "remote", "--shard", "1");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Contains($"cluster {name}: {remote.Sandbox.BaseAddress.ToString().TrimEnd('/')} answers (Kubernetes v", add.Out, StringComparison.Ordinal);
        Assert.Contains($"cluster {name} registered: Secret {Ns}/gitops-cluster-{name}", add.Out, StringComparison.Ordinal);
        var secret = (await SecretAsync(name))!;
        Assert.Equal(name, (string?)secret["metadata"]!["labels"]!["gitops.dev/cluster"]);
        Assert.Equal("1", (string?)secret["metadata"]!["labels"]!["gitops.dev/shard"]);
        Assert.Equal(new[] { "value" }, secret["data"]!.AsObject().Select(p => p.Key));
        var stored = YamlJson.Parse(KubeconfigIn(secret), "stored")!;
        var cluster = stored["clusters"]!.AsArray().Single()!["cluster"]!.AsObject();
        Assert.Null(cluster["certificate-authority"]);
        Assert.Equal(Line(remote.AdminKubeconfig, "certificate-authority-data: "), (string?)cluster["certificate-authority-data"]);
        Assert.Equal("remote", (string?)stored["current-context"]);
        Assert.DoesNotContain("laptop", KubeconfigIn(secret), StringComparison.Ordinal);

        var again = await ClusterAsync("add", name, "--kubeconfig", kubeconfig, "--context", "remote");
        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"gitops cluster add: cluster {name} is already registered (Secret {Ns}/gitops-cluster-{name}, server {remote.Sandbox.BaseAddress.ToString().TrimEnd('/')}); pass --upsert to replace it, or pick another name\n", again.Err);

        var upsert = await ClusterAsync("add", name, "--kubeconfig", kubeconfig, "--context", "remote", "--shard", "2", "--upsert");
        Assert.True(upsert.ExitCode == 0, upsert.ToString());
        Assert.Equal("2", (string?)(await SecretAsync(name))!["metadata"]!["labels"]!["gitops.dev/shard"]);

        var remove = await ClusterAsync("remove", name);
        Assert.True(remove.ExitCode == 0, remove.ToString());
        Assert.Null(await SecretAsync(name));
    }

    [Fact]
    public async Task Add_ExecPlugin_RefusedUnlessAllowExec()
    {
        var name = NewName("exec");
        var script = Path.Combine(_dir, "credential.sh");
        await File.WriteAllTextAsync(script, $$$"""
            #!/bin/sh
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"{{{AdminToken}}}"}}'

            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var kubeconfig = Path.Combine(_dir, "exec.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: {{remote.Sandbox.BaseAddress.ToString().TrimEnd('/')}}
                certificate-authority-data: {{Line(remote.AdminKubeconfig, "certificate-authority-data: ")}}
            users:
            - name: u
              user:
                exec: { apiVersion: client.authentication.k8s.io/v1, command: {{script}}, interactiveMode: Never }
            contexts:
            - name: c
              context: { cluster: c, user: u }
            current-context: c
            """);

        var refused = await ClusterAsync("add", name, "--kubeconfig", kubeconfig);
        var allowed = await ClusterAsync("add", name, "--kubeconfig", kubeconfig, "--allow-exec");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"exec credential plugin ({script}), refused", refused.Err, StringComparison.Ordinal);
        Assert.Contains("--allow-exec", refused.Err, StringComparison.Ordinal);
        Assert.Contains("--allow-kubeconfig-exec", refused.Err, StringComparison.Ordinal);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Contains("answers (Kubernetes v", allowed.Out, StringComparison.Ordinal);
        Assert.Contains("--allow-kubeconfig-exec", allowed.Err, StringComparison.Ordinal);
        Assert.Contains($"command: {script}", KubeconfigIn((await SecretAsync(name))!), StringComparison.Ordinal);
        await ClusterAsync("remove", name);
    }

    [Theory]
    [InlineData("Bad_Name", "must be lowercase letters, digits and '-'")]
    [InlineData("in-cluster", "names the operator's own cluster")]
    [InlineData("-edge", "must be lowercase letters, digits and '-'")]
    public async Task Add_BadName_RefusedBeforeAnythingIsRead(string name, string expected)
    {
        var result = await ClusterAsync("add", name, "--kubeconfig", Path.Combine(_dir, "no-such-file"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("gitops cluster add: ", result.Err, StringComparison.Ordinal);
        Assert.Contains(expected, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_OperatorNamespaceMissing_SaysWhereRegistrationsGo()
    {
        var result = await ClusterAsync("add", NewName("nowhere"), "--kubeconfig", KubeconfigWithCaFile(), "--context", "remote", "-n", "no-such-namespace");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("namespace no-such-namespace does not exist", result.Err, StringComparison.Ordinal);
        Assert.Contains("gitops-system", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_UnreachableServer_ClearMessageNothingRegistered()
    {
        var name = NewName("down");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // a port nothing listens on: the connection is refused at once
        var kubeconfig = KubeconfigWithCaFile($"https://127.0.0.1:{port}");

        var result = await ClusterAsync("add", name, "--kubeconfig", kubeconfig, "--context", "remote");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"gitops cluster add: cluster {name}: https://127.0.0.1:{port} does not answer: ", result.Err, StringComparison.Ordinal);
        Assert.EndsWith("nothing was registered\n", result.Err, StringComparison.Ordinal);
        Assert.Single(result.Err.Trim().Split('\n'));
        Assert.Null(await SecretAsync(name));
    }

    [Fact]
    public async Task AddListRemove_AnApplicationSyncsIntoTheRegisteredCluster()
    {
        var name = NewName("edge");
        var idle = NewName("idle");
        Assert.Equal(0, (await ClusterAsync("add", name, "--kubeconfig", KubeconfigWithCaFile(), "--context", "remote")).ExitCode);
        Assert.Equal(0, (await ClusterAsync("add", idle, "--kubeconfig", KubeconfigWithCaFile(), "--context", "remote", "--shard", "3")).ExitCode);

        using var s = await Scenario.StartAsync(fx, "cli-cluster");
        var revision = await s.PushAsync("a map", ("app/a.yaml", AppYaml.ConfigMap("a", "git")));
        await s.CreateAppAsync(extraPolicy: "    syncOptions: [CreateNamespace=true]", destinationExtra: $"    clusterName: {name}");
        var app = await s.WaitSyncedAsync(revision);
        Assert.True(OperatorFixture.HasCondition(app, "ClusterConnected"));
        Assert.NotNull(await remote.ConfigMapAsync(s.Namespace, "a"));
        Assert.Null(await s.ConfigMapAsync("a"));

        var list = await ClusterAsync("list");
        var json = await ClusterAsync("list", "-o", "json");

        Assert.True(list.ExitCode == 0, list.ToString());
        var lines = list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+SERVER\s+SHARD\s+APPS\s+CONNECTED$", lines[0]);
        Assert.Matches($@"^in-cluster\s+{fx.Sandbox!.BaseAddress.ToString().TrimEnd('/')}\s+-\s+\d+\s+True \(v[\d.]+", lines[1]);
        var server = remote.Sandbox.BaseAddress.ToString().TrimEnd('/');
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^{name}\s+{server}\s+-\s+1\s+True \(v[\d.]+\)$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^{idle}\s+{server}\s+3\s+0\s+-$"));
        Assert.True(json.ExitCode == 0, json.ToString());
        var row = JsonNode.Parse(json.Out)!.AsArray().Single(r => (string?)r!["name"] == name)!;
        Assert.Equal(new[] { $"{s.Namespace}/app" }, row["applications"]!.AsArray().Select(a => (string?)a));
        Assert.Equal("True", (string?)row["connected"]!["status"]);
        Assert.Equal($"{Ns}/gitops-cluster-{name}", (string?)row["secret"]);

        var refused = await ClusterAsync("remove", name);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"cluster {name} is the destination of 1 Application: {s.Namespace}/app;", refused.Err, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Err, StringComparison.Ordinal);
        Assert.NotNull(await SecretAsync(name));

        var forced = await ClusterAsync("remove", name, "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains($"{s.Namespace}/app", forced.Err, StringComparison.Ordinal);
        Assert.Null(await SecretAsync(name));
        // The operator reads a registration again once its copy is older than CredentialsTtl (30s): refresh until it has.
        var refreshed = DateTime.MinValue;
        var missing = await Eventually.WaitAsync(async () =>
        {
            var now = await fx.GetAppAsync(s.Namespace, s.App);
            if (now is not null && OperatorFixture.HasCondition(now, "ClusterConnected", "False")) return now;
            if (DateTime.UtcNow - refreshed > TimeSpan.FromSeconds(2))
            {
                refreshed = DateTime.UtcNow;
                await s.RefreshAsync();
            }
            return null;
        }, TimeSpan.FromSeconds(90), "the operator finds the registration gone");
        Assert.Contains($"no cluster named {name} is registered", OperatorFixture.ConditionMessage(missing, "ClusterConnected"));
        Assert.NotNull(await remote.ConfigMapAsync(s.Namespace, "a")); // nothing pruned
        var dangling = await ClusterAsync("list");
        Assert.Contains(dangling.Out.Split('\n'), l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^{name}\s+\(not registered\)\s+-\s+1\s+False \(ClusterSecretMissing\)$"));
        Assert.Equal(0, (await ClusterAsync("remove", idle)).ExitCode);

        var gone = await ClusterAsync("remove", idle);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains($"no cluster {idle} is registered in namespace {Ns}", gone.Err, StringComparison.Ordinal);
    }
}
