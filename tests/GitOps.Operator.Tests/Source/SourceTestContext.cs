using GitOps.Operator.Source;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Source;

/// <summary>A Git HTTP server, one repository with a first commit, and a GitSource over a fresh cache directory.</summary>
internal sealed class SourceTestContext : IAsyncDisposable
{
    private SourceTestContext(GitHttpServer server, GitWorkTree work, GitSource source, string repoUrl, string cacheDirectory)
    {
        Server = server;
        Work = work;
        Source = source;
        RepoUrl = repoUrl;
        CacheDirectory = cacheDirectory;
    }

    public GitHttpServer Server { get; }

    public GitWorkTree Work { get; }

    public GitSource Source { get; }

    public string RepoUrl { get; }

    public string CacheDirectory { get; }

    public static async Task<SourceTestContext> StartAsync(
        string? basicUser = null, string? basicPassword = null, string? bearerToken = null, long maxCacheBytes = long.MaxValue, GitSourceTimeouts? timeouts = null)
    {
        var server = await GitHttpServer.StartAsync(basicUser, basicPassword, bearerToken);
        var url = await server.CreateBareRepoAsync("config");
        var work = await GitWorkTree.CloneAsync(url, server.ClientConfig);
        work.Write("apps/web/deployment.yaml", "kind: Deployment\n");
        await work.CommitAndPushAsync("first commit");
        var cache = Path.Combine(Path.GetTempPath(), "gitops-source-test-" + Guid.NewGuid().ToString("N"));
        var options = GitSourceOptions.Default with
        {
            CacheDirectory = cache,
            MaxCacheBytes = maxCacheBytes,
            Timeouts = timeouts ?? new GitSourceTimeouts(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)),
        };
        return new SourceTestContext(server, work, new GitSource(options), url, cache);
    }

    public SourceSpec Spec(string? revision = "main", RepoCredentials? credentials = null) => new(RepoUrl, revision, credentials);

    public async ValueTask DisposeAsync()
    {
        Source.Dispose();
        Work.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(CacheDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was cached.
        }
    }
}
