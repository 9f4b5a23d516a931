using LibGit2Sharp;
using LibGit2Sharp.Handlers;

namespace GitOps.Operator.Source;

/// <summary>
/// HTTP(S) and local repositories through libgit2: ref listing (<c>Repository.ListRemoteReferences</c>)
/// and fetch into the bare cache. Basic auth goes through the credentials callback; a bearer token
/// goes as an <c>Authorization: Bearer</c> custom header on fetch (libgit2's ref listing takes no
/// headers, so <see cref="SmartHttpRefs"/> lists refs when a bearer token is set).
/// </summary>
internal static class LibGit2Remote
{
    /// <summary>Heads and tags, kept under their own names in the bare cache (a mirror of the remote's branches and tags).</summary>
    public static readonly string[] FetchRefSpecs = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"];

    public static RemoteRefs ListRefs(RepoUrl url, RepoCredentials? credentials)
    {
        var handler = CredentialsHandlerFor(credentials ?? url.UrlCredentials);
        var references = handler is null
            ? Repository.ListRemoteReferences(url.TransportUrl)
            : Repository.ListRemoteReferences(url.TransportUrl, handler);
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        string? headTarget = null;
        foreach (var reference in references)
        {
            switch (reference)
            {
                case SymbolicReference symbolic:
                    if (symbolic.CanonicalName == "HEAD") headTarget = symbolic.TargetIdentifier;
                    if (symbolic.ResolveToDirectReference() is { } resolved) refs[symbolic.CanonicalName] = resolved.TargetIdentifier;
                    break;
                case DirectReference direct:
                    refs[direct.CanonicalName] = direct.TargetIdentifier;
                    break;
            }
        }

        return new RemoteRefs(refs, headTarget);
    }

    public static void Fetch(string repoDirectory, RepoUrl url, RepoCredentials? credentials, CancellationToken ct)
    {
        using var repo = new Repository(repoDirectory);
        EnsureOrigin(repo, url.TransportUrl);
        var effective = credentials ?? url.UrlCredentials;
        var options = new FetchOptions
        {
            CredentialsProvider = CredentialsHandlerFor(effective),
            TagFetchMode = TagFetchMode.None,
            Prune = false,
            OnTransferProgress = _ => !ct.IsCancellationRequested,
            OnProgress = _ => !ct.IsCancellationRequested,
        };
        if (effective?.BearerToken is { } token)
        {
            options.CustomHeaders = [$"Authorization: Bearer {token}"];
        }

        Commands.Fetch(repo, "origin", FetchRefSpecs, options, logMessage: null);
    }

    public static void EnsureOrigin(Repository repo, string url)
    {
        var origin = repo.Network.Remotes["origin"];
        if (origin is null)
        {
            repo.Network.Remotes.Add("origin", url);
        }
        else if (origin.Url != url)
        {
            repo.Network.Remotes.Update("origin", r => r.Url = url);
        }
    }

    private static CredentialsHandler? CredentialsHandlerFor(RepoCredentials? credentials)
    {
        if (credentials is not { HasBasic: true }) return null;
        var username = credentials.Username ?? string.Empty;
        var password = credentials.Password ?? string.Empty;
        var calls = 0;
        // libgit2 asks again after every 401 (up to 15 replays); one rejection is enough: fail at once
        // instead of hammering the server (and tripping its lockout) with the same wrong password.
        return (_, _, _) => Interlocked.Increment(ref calls) == 1
            ? new UsernamePasswordCredentials { Username = username, Password = password }
            : throw new LibGit2SharpException("authentication failed: the server rejected the credentials");
    }
}
