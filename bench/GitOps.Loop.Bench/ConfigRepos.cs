using System.Collections.Concurrent;
using System.Globalization;
using GitOps.Operator.Demo;

namespace GitOps.Loop.Bench;

/// <summary>One benchmark Application: its name (also its destination namespace), repository, path and renderer (directory, kustomize or helm).</summary>
public sealed record BenchApp(string Name, int Repo, string Path, string Renderer)
{
    public static string RendererFor(int index, BenchOptions options) =>
        options.KustomizeEvery > 0 && index % options.KustomizeEvery == options.KustomizeEvery - 1 ? "kustomize"
        : options.HelmEvery > 0 && index % options.HelmEvery == options.HelmEvery / 2 ? "helm"
        : "directory";
}

/// <summary>
/// The configuration repositories on a loopback Git server (the operator's own demo server,
/// <c>git http-backend</c> behind Kestrel): apps spread round-robin over R repositories, one
/// directory per app. Counts every request the server sees by repository and kind, so remote Git
/// operations can be told apart: <c>ls</c> (GET info/refs of upload-pack: a remote ls, and the first
/// leg of every fetch), <c>fetch</c> (POST git-upload-pack) and <c>push</c> (receive-pack).
/// </summary>
internal sealed class ConfigRepos : IAsyncDisposable
{
    private readonly LoopbackGitServer _server;
    private readonly string _trees;
    private readonly ConcurrentDictionary<(string Repo, string Kind), long> _requests = new();

    private ConfigRepos(LoopbackGitServer server, string trees, IReadOnlyList<string> urls, IReadOnlyList<BenchApp> apps)
    {
        _server = server;
        _trees = trees;
        Urls = urls;
        Apps = apps;
    }

    public IReadOnlyList<string> Urls { get; }
    public IReadOnlyList<BenchApp> Apps { get; }
    public IReadOnlyList<string> Heads { get; private set; } = [];

    public static string RepoName(int index) => $"config-{index.ToString(CultureInfo.InvariantCulture)}";

    public static async Task<ConfigRepos> CreateAsync(BenchOptions options, string work, CancellationToken ct)
    {
        var server = await LoopbackGitServer.StartAsync(Path.Combine(work, "git"), ct);
        var apps = Enumerable.Range(0, options.Apps).Select(i =>
        {
            var name = $"app-{i.ToString("D4", CultureInfo.InvariantCulture)}";
            return new BenchApp(name, i % options.Repos, $"apps/{name}", BenchApp.RendererFor(i, options));
        }).ToList();
        var urls = new List<string>();
        var trees = Path.Combine(work, "trees");
        var repos = new ConfigRepos(server, trees, urls, apps);
        server.OnRequest = repos.Count;
        var heads = new List<string>();
        for (var r = 0; r < options.Repos; r++)
        {
            var url = await server.CreateRepoAsync(RepoName(r), ct);
            urls.Add(url);
            var tree = Path.Combine(trees, RepoName(r));
            Directory.CreateDirectory(tree);
            foreach (var app in apps.Where(a => a.Repo == r)) WriteApp(tree, app, options.Objects, 1);
            await GitAsync(tree, ct, "init", "-q", "--initial-branch=main");
            await GitAsync(tree, ct, "add", "-A");
            await GitAsync(tree, ct, "commit", "-q", "-m", "apps, revision 1");
            await GitAsync(tree, ct, "remote", "add", "origin", url);
            await GitAsync(tree, ct, "push", "-q", "origin", "main");
            heads.Add(await GitAsync(tree, ct, "rev-parse", "HEAD"));
        }
        repos.Heads = heads;
        return repos;
    }

    private static void WriteApp(string tree, BenchApp app, int objects, int revision)
    {
        var dir = Path.Combine(tree, app.Path);
        Directory.CreateDirectory(dir);
        var list = AppManifests.For(app.Name, objects, revision);
        var files = app.Renderer == "helm" ? Path.Combine(dir, "templates") : dir;
        Directory.CreateDirectory(files);
        foreach (var o in list) File.WriteAllText(Path.Combine(files, o.File), o.Yaml);
        if (app.Renderer == "kustomize") File.WriteAllText(Path.Combine(dir, "kustomization.yaml"), AppManifests.Kustomization(list));
        if (app.Renderer == "helm") File.WriteAllText(Path.Combine(dir, "Chart.yaml"), AppManifests.Chart(app.Name));
    }

    /// <summary>Commits a new revision of the given apps' files to their repository and pushes it; returns the commit and the files it changed.</summary>
    public async Task<(string Sha, string[] ChangedFiles)> PushRevisionAsync(int repo, IReadOnlyList<BenchApp> apps, int objects, int revision, CancellationToken ct)
    {
        var tree = Path.Combine(_trees, RepoName(repo));
        foreach (var app in apps) WriteApp(tree, app, objects, revision);
        await GitAsync(tree, ct, "commit", "-q", "-am", $"{apps.Count} apps, revision {revision}");
        await GitAsync(tree, ct, "push", "-q", "origin", "main");
        var files = await GitAsync(tree, ct, "diff", "--name-only", "HEAD~1", "HEAD");
        return (await GitAsync(tree, ct, "rev-parse", "HEAD"), files.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private void Count(string method, string path, string query)
    {
        var dot = path.IndexOf(".git/", StringComparison.Ordinal);
        var repo = dot > 1 ? path[1..dot] : "?";
        var kind = (method, path.EndsWith("/info/refs", StringComparison.Ordinal), query) switch
        {
            ("GET", true, var q) when q.Contains("git-upload-pack", StringComparison.Ordinal) => "ls",
            ("POST", _, _) when path.EndsWith("/git-upload-pack", StringComparison.Ordinal) => "fetch",
            _ when path.Contains("receive-pack", StringComparison.Ordinal) || query.Contains("receive-pack", StringComparison.Ordinal) => "push",
            _ => "other",
        };
        _requests.AddOrUpdate((repo, kind), 1, (_, n) => n + 1);
    }

    /// <summary>Requests so far by (repository, kind).</summary>
    public IReadOnlyDictionary<(string Repo, string Kind), long> Snapshot() => new Dictionary<(string, string), long>(_requests);

    private static Task<string> GitAsync(string tree, CancellationToken ct, params string[] args) => LoopbackGitServer.RunGitAsync(args, tree, ct);

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
