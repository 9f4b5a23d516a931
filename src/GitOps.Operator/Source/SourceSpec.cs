namespace GitOps.Operator.Source;

/// <summary>
/// What to fetch: a repository URL (<c>https://</c>, <c>http://</c>, <c>ssh://</c>, scp-like
/// <c>git@host:path</c>, <c>file://</c> or a local path), a <paramref name="TargetRevision"/>
/// (a branch, a tag, a full 40-hex commit SHA, a full ref name like <c>refs/heads/x</c>, or
/// <c>HEAD</c>/empty for the remote's default branch) and optional credentials.
/// </summary>
public sealed record SourceSpec(string RepoUrl, string? TargetRevision = null, RepoCredentials? Credentials = null)
{
    public override string ToString() =>
        $"{UrlRedactor.Redact(RepoUrl)}@{(string.IsNullOrWhiteSpace(TargetRevision) ? "HEAD" : TargetRevision)}" +
        (Credentials is null ? string.Empty : $" ({Credentials})");
}

/// <summary>
/// One commit's tree written out as plain files: <paramref name="Directory"/> is immutable and
/// shared (never write into it). Symlinks are kept as symlinks (the renderer must refuse ones that
/// leave the directory); file modes (0644/0755) are kept; submodules are empty directories.
/// </summary>
public sealed record SourceSnapshot(string Commit, string Directory, string Message, string Author, DateTimeOffset Time)
{
    /// <summary>What the operator counted in the tree when it wrote it (the tree never changes after), or null when not known.</summary>
    public TreeShape? Shape { get; init; }

    public override string ToString() => $"{Commit[..Math.Min(12, Commit.Length)]} {Author} {Time:O} {Directory}";
}

/// <summary>How many entries (files, directories, symlinks) a written tree holds, and how many of them are symlinks.</summary>
public sealed record TreeShape(int Entries, int Symlinks);

/// <summary>The Git source stage: resolve a revision cheaply, then materialise a commit's tree.</summary>
public interface IGitSource
{
    /// <summary>
    /// Resolves <see cref="SourceSpec.TargetRevision"/> to a full commit SHA with one remote ref listing
    /// (no fetch). A full SHA is listed too: the listing is the proof that these credentials may read the repository.
    /// </summary>
    Task<string> ResolveAsync(SourceSpec spec, CancellationToken ct);

    /// <summary>
    /// Fetches only when <paramref name="commit"/> is not cached, then returns its tree as a directory. A cached
    /// tree is returned without asking the remote: call it only after <see cref="ResolveAsync"/> accepted these credentials.
    /// </summary>
    Task<SourceSnapshot> CheckoutAsync(SourceSpec spec, string commit, CancellationToken ct);
}
