using GitOps.Operator.Hosting;
using GitOps.Operator.Render;
using GitOps.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// Its own sandbox, Git server and operator whose render tools are the pinned kubectl and helm,
/// with kubectl behind a fake tool script on a configured path: a kustomization directory whose
/// name holds "hang" never finishes, one holding "flood" prints 100 MiB; anything else runs the real kubectl.
/// </summary>
public sealed class HelmKustomizeOperatorFixture : IAsyncLifetime
{
    private readonly string _temp = Directory.CreateTempSubdirectory("gitops-render-it-").FullName;

    public OperatorFixture Fx { get; } = new() { StartOperator = false };
    public WebApplication? Operator { get; private set; }
    public ToolRunner Runner => Operator!.Services.GetRequiredService<ToolRunner>();
    public static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(10);

    public async Task InitializeAsync()
    {
        await Fx.InitializeAsync();
        var fakeKubectl = Path.Combine(_temp, "kubectl");
        await File.WriteAllTextAsync(fakeKubectl, $$"""
            #!/bin/sh
            case "$2" in
              *hang*) exec sleep 300 ;;
              *flood*) head -c 104857600 /dev/zero | tr '\000' 'a'; exit 0 ;;
            esac
            exec "{{ToolPaths.Kubectl}}" "$@"
            """.Replace("\r", "", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(fakeKubectl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var tools = RenderToolOptions.Default with
        {
            KubectlPath = fakeKubectl,
            HelmPath = ToolPaths.Helm,
            Timeout = ToolTimeout,
            WorkDirectory = Path.Combine(_temp, "render"),
            ChartIndexTtl = TimeSpan.FromSeconds(1),
        };
        Operator = OperatorHost.Build(OperatorOptions.Default with
        {
            LeaderElection = false,
            Kubeconfig = Fx.KubeconfigPath,
            Listen = "127.0.0.1:0",
            CacheDirectory = Path.Combine(_temp, "cache"),
            JsonLogs = false,
        }, services => services.AddSingleton(tools));
        await Operator.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Operator is not null)
        {
            await Operator.StopAsync();
            await Operator.DisposeAsync();
        }
        await Fx.DisposeAsync();
        try { Directory.Delete(_temp, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class HelmKustomizeCollection : ICollectionFixture<HelmKustomizeOperatorFixture>
{
    public const string Name = "render-operator";
}
