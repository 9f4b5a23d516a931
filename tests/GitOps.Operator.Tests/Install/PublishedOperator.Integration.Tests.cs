using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using GitOps.Operator.Tests.Integration;
using GitOps.Testing;
using Xunit.Abstractions;

namespace GitOps.Operator.Tests.Install;

/// <summary>
/// What the container image holds, proven without a Docker engine: the Dockerfile's own build stage
/// (its COPY set and its `dotnet` commands, run here with TARGETARCH of this machine) publishes the
/// operator into a temp folder, and that published `gitops operator` runs against a sandbox, takes
/// the leader Lease, turns ready and syncs an Application from a loopback Git server. It reports
/// the published size, the start-up time to ready and the idle RSS.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PublishedOperatorTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gitops-publish-").FullName;
    private readonly OperatorFixture _fx = new() { StartOperator = false };

    public Task InitializeAsync() => _fx.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _fx.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task PublishedLikeTheDockerfile_RunsTheOperator_SyncsAnApplication()
    {
        // Arrange: publish exactly as the Dockerfile's build stage does.
        var stage = DockerfileBuildStage.Read(Path.Combine(ToolPaths.RepoRoot, "Dockerfile"));
        var context = Path.Combine(_dir, "src");
        var publishDir = Path.Combine(_dir, "app");
        stage.CopyContext(ToolPaths.RepoRoot, context);
        var arch = RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "amd64",
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            var other => throw new PlatformNotSupportedException($"no image for {other}"),
        };
        var buildEnv = new Dictionary<string, string>
        {
            ["TARGETARCH"] = arch, ["PUBLISH_DIR"] = publishDir, ["DOTNET_NOLOGO"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            // No MSBuild or build-server process may outlive the test.
            ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0", ["UseSharedCompilation"] = "false",
        };
        // The test host's MSBuild variables (set by `dotnet test`) must not leak into the child build.
        const string clean = "unset MSBuildExtensionsPath MSBuildSDKsPath MSBUILD_EXE_PATH MSBuildLoadMicrosoftTargetsReadOnly; ";
        var publishClock = Stopwatch.StartNew();
        foreach (var command in stage.DotnetCommands)
        {
            var run = await ProcessRunner.RunAsync("bash", ["-c", clean + command], environment: buildEnv, workingDirectory: context, timeout: TimeSpan.FromMinutes(20));
            Assert.True(run.ExitCode == 0, $"`{command}` failed: {run}");
        }
        var executable = Path.Combine(publishDir, "gitops");
        Assert.True(File.Exists(executable), $"no {executable} after publishing");
        var sizeBytes = Directory.EnumerateFiles(publishDir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Report($"published in {publishClock.Elapsed.TotalSeconds:F0} s: {sizeBytes / 1024.0 / 1024.0:F1} MiB in {publishDir}");

        var leaseNamespace = await _fx.NewNamespaceAsync("lease");
        var port = FreePort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        var logs = new StringBuilder();
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = publishDir,
        };
        foreach (var a in new[] { "operator", "--kubeconfig", _fx.KubeconfigPath, $"--listen=127.0.0.1:{port}", "--workers=2" }) info.ArgumentList.Add(a);
        info.Environment["POD_NAMESPACE"] = leaseNamespace;
        info.Environment["HOME"] = _dir;
        info.Environment["TMPDIR"] = _dir;
        info.Environment["PATH"] = ToolPaths.ToolsBinDir + ":" + Environment.GetEnvironmentVariable("PATH");

        // Act 1: start it and wait until /readyz says it leads and its caches are synced.
        var startClock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (logs) logs.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (logs) logs.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.WaitAsync(async () =>
            {
                if (process.HasExited) throw new InvalidOperationException($"the operator exited with {process.ExitCode}");
                try
                {
                    using var response = await http.GetAsync("/readyz");
                    return response.StatusCode == HttpStatusCode.OK && await response.Content.ReadAsStringAsync() == "ok";
                }
                catch (HttpRequestException) { return false; }
            }, TimeSpan.FromSeconds(90), "the published operator is ready (leader, caches synced)");
            var readyAfter = startClock.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(5));
            var idleRss = RssKiB(process.Id);
            Report($"start-up to ready: {readyAfter.TotalMilliseconds:F0} ms; RSS idle 5 s after ready, no Application: {idleRss / 1024.0:F1} MiB");

            var lease = await _fx.GetAsync($"/apis/coordination.k8s.io/v1/namespaces/{leaseNamespace}/leases/gitops-operator");
            Assert.False(string.IsNullOrEmpty((string?)lease?["spec"]?["holderIdentity"]), "the published operator holds no Lease");

            // Act 2: an Application from the loopback Git server.
            var ns = await _fx.NewNamespaceAsync("pub");
            var (url, repo) = await _fx.NewRepoAsync("published-" + ns);
            using (repo)
            {
                repo.Write("apps/web/config.yaml", AppYaml.ConfigMap("web-config", "from-published-binary"))
                    .Write("apps/web/deploy.yaml", AppYaml.Deployment("web", "nginx:1.25"));
                var commit = await repo.CommitAndPushAsync("first");
                // A CEL health rule (the CEL library and the spec's JSON reading are what a Native AOT build could
                // break): it holds the ConfigMap Progressing, which only an evaluated rule can say.
                const string rule = "  healthChecks:\n  - apiVersion: v1\n    kind: ConfigMap\n" +
                    "    current: \"has(self.data) && self.data.value == 'ready'\"\n" +
                    "    failed: \"has(self.metadata.labels) && self.metadata.labels.exists(k, k == 'broken')\"";
                await _fx.ApplyYamlAsync(AppYaml.Automated(ns, "web", url, "apps/web", ns, extraSpec: rule));

                var app = await _fx.WaitAppAsync(ns, "web", a => OperatorFixture.IsSyncedAt(a, commit) && ConfigMapHealth(a) == "Progressing",
                    "synced by the published operator, its ConfigMap Progressing by the CEL rule", TimeSpan.FromSeconds(60));
                Assert.Equal("Progressing", (string?)app["status"]?["health"]?["status"]);
            }

            // Assert
            var cm = await _fx.GetAsync($"/api/v1/namespaces/{ns}/configmaps/web-config");
            Assert.Equal("from-published-binary", (string?)cm?["data"]?["value"]);
            var metrics = await http.GetStringAsync("/metrics");
            Assert.Contains("gitops_app_reconcile_duration_seconds", metrics, StringComparison.Ordinal);
            Assert.Equal("ok", await http.GetStringAsync("/healthz"));
            await Task.Delay(TimeSpan.FromSeconds(5));
            Report($"RSS idle 5 s after one Application synced: {RssKiB(process.Id) / 1024.0:F1} MiB");

            // A pod is stopped with SIGTERM: the operator shuts down cleanly and in time.
            var stopClock = Stopwatch.StartNew();
            await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(25));
            await process.WaitForExitAsync(stop.Token);
            Report($"SIGTERM to exit: {stopClock.Elapsed.TotalMilliseconds:F0} ms, exit code {process.ExitCode}");
            Assert.Equal(0, process.ExitCode);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\noperator output:\n{Logs(logs)}", e);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        Console.WriteLine("published operator: " + line);
    }

    private static string Logs(StringBuilder logs)
    {
        lock (logs) return logs.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Resident set size of a process, from /proc (Linux).</summary>
    private static long RssKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"no VmRSS for process {pid}");
    }

    private static string? ConfigMapHealth(System.Text.Json.Nodes.JsonObject app) =>
        (string?)(app["status"]?["resources"] as System.Text.Json.Nodes.JsonArray)?.FirstOrDefault(r => (string?)r?["kind"] == "ConfigMap")?["health"];
}
