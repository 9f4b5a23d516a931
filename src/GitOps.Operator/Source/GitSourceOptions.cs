namespace GitOps.Operator.Source;

/// <summary>
/// Deadlines for the source stage's network and disk work: listing refs, a whole fetch, writing a tree.
/// A fetch past <see cref="Fetch"/> is a <c>SourceError</c> (Timeout) at once.
/// </summary>
public sealed record GitSourceTimeouts(TimeSpan Resolve, TimeSpan Fetch, TimeSpan Materialize)
{
    public static GitSourceTimeouts Default { get; } = new(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(2));

    /// <summary>
    /// How long a connection to a Git server may make no progress (a server hanging mid-fetch)
    /// before libgit2 gives up; until then an abandoned fetch keeps its repository's cache lock.
    /// </summary>
    public TimeSpan Stall { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Where the source cache lives and how big it may grow. Layout: <c>repos/&lt;key&gt;</c> (one bare
/// repository per normalised URL) and <c>trees/&lt;sha&gt;</c> (one immutable directory per commit).
/// Beyond <see cref="MaxCacheBytes"/> the least recently used trees and repositories are deleted.
/// </summary>
public sealed record GitSourceOptions(string CacheDirectory, long MaxCacheBytes, GitSourceTimeouts Timeouts)
{
    public static GitSourceOptions Default { get; } = new(
        Path.Combine(Path.GetTempPath(), "gitops-operator", "source-cache"),
        2L * 1024 * 1024 * 1024,
        GitSourceTimeouts.Default);
}
