using System.Text.Json.Nodes;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Integration;

/// <summary>One test's world: its namespace, its repository and its Application.</summary>
internal sealed class Scenario : IDisposable
{
    private Scenario(OperatorFixture fx, string ns, string url, GitWorkTree repo)
    {
        Fx = fx;
        Namespace = ns;
        Url = url;
        Repo = repo;
    }

    public OperatorFixture Fx { get; }
    public string Namespace { get; }
    public string Url { get; }
    public GitWorkTree Repo { get; }
    public string App { get; private set; } = "app";

    public static async Task<Scenario> StartAsync(OperatorFixture fx, string prefix)
    {
        var ns = await fx.NewNamespaceAsync(prefix);
        var (url, repo) = await fx.NewRepoAsync(ns);
        return new Scenario(fx, ns, url, repo);
    }

    public async Task<string> PushAsync(string message, params (string Path, string? Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            if (content is null) Repo.Delete(path);
            else Repo.Write(path, content);
        }
        return await Repo.CommitAndPushAsync(message);
    }

    public Task CreateAppAsync(string path = "app", bool prune = true, bool selfHeal = true, string extraPolicy = "", string extraSpec = "",
        string metadataExtra = "", bool automated = true, string name = "app", string interval = "3m", string destinationExtra = "")
    {
        App = name;
        return Fx.ApplyYamlAsync(AppYaml.Automated(Namespace, name, Url, path, Namespace, prune, selfHeal, interval, extraSpec, extraPolicy, metadataExtra, automated, destinationExtra));
    }

    public Task<JsonObject> WaitSyncedAsync(string revision, string? app = null) =>
        Fx.WaitAppAsync(Namespace, app ?? App, a => OperatorFixture.IsSyncedAt(a, revision), $"synced at {revision[..8]}");

    public Task<JsonObject> WaitAsync(Func<JsonObject, bool> condition, string what, TimeSpan? deadline = null) =>
        Fx.WaitAppAsync(Namespace, App, condition, what, deadline);

    /// <summary>Asks the operator to look at Git now (what a push webhook does).</summary>
    public Task RefreshAsync() =>
        Fx.KubectlOkAsync("annotate", "--overwrite", "-n", Namespace, $"applications.gitops.dev/{App}", $"gitops.dev/refresh-requested-at={DateTime.UtcNow:O}");

    public Task SyncNowAsync() =>
        Fx.KubectlOkAsync("annotate", "--overwrite", "-n", Namespace, $"applications.gitops.dev/{App}", $"gitops.dev/sync-requested-at={DateTime.UtcNow:O}");

    public Task<JsonObject?> ConfigMapAsync(string name) => Fx.GetAsync($"/api/v1/namespaces/{Namespace}/configmaps/{name}");

    public void Dispose() => Repo.Dispose();
}
