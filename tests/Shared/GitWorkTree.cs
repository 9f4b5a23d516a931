namespace GitOps.Testing;

/// <summary>
/// A clone made with the real <c>git</c> CLI, for tests that create commits while they run: write
/// files and symlinks, commit, tag, branch and push. Ignores the machine's git config (no user or
/// system config is read), uses a fixed identity, and deletes itself on dispose.
/// </summary>
internal sealed class GitWorkTree : IDisposable
{
    /// <summary>Environment that keeps git away from the user's and the system's config and from prompts.</summary>
    public static readonly IReadOnlyDictionary<string, string> IsolatedGitEnvironment = new Dictionary<string, string>
    {
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_AUTHOR_NAME"] = "Test Author",
        ["GIT_AUTHOR_EMAIL"] = "author@example.test",
        ["GIT_COMMITTER_NAME"] = "Test Committer",
        ["GIT_COMMITTER_EMAIL"] = "committer@example.test",
        ["LC_ALL"] = "C",
    };

    private GitWorkTree(string path) => Path = path;

    public string Path { get; }

    /// <summary>Clones <paramref name="url"/> (may be empty) with optional <c>-c key=value</c> settings kept in the clone's config.</summary>
    public static async Task<GitWorkTree> CloneAsync(string url, IEnumerable<string>? config = null, string branch = "main")
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gitops-worktree-" + Guid.NewGuid().ToString("N"));
        var args = new List<string> { "clone" };
        foreach (var c in config ?? []) args.AddRange(["-c", c]);
        args.AddRange([url, path]);
        await Run(args, null);
        var tree = new GitWorkTree(path);
        var head = await Run(["rev-parse", "--verify", "-q", "HEAD"], path, allowFailure: true);
        if (head.ExitCode != 0) await tree.GitAsync("symbolic-ref", "HEAD", $"refs/heads/{branch}");
        return tree;
    }

    public GitWorkTree Write(string relativePath, string content)
    {
        var full = Full(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public GitWorkTree WriteExecutable(string relativePath, string content)
    {
        Write(relativePath, content);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Full(relativePath), (UnixFileMode)0b111_101_101);
        return this;
    }

    public GitWorkTree Symlink(string relativePath, string target)
    {
        var full = Full(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, target);
        return this;
    }

    public GitWorkTree Delete(string relativePath)
    {
        File.Delete(Full(relativePath));
        return this;
    }

    /// <summary>Stages everything and commits; returns the new commit's SHA.</summary>
    public async Task<string> CommitAsync(string message)
    {
        await GitAsync("add", "-A");
        await GitAsync("commit", "--allow-empty", "-q", "-m", message);
        return await HeadAsync();
    }

    public async Task PushAsync(string branch = "main") => await GitAsync("push", "-q", "origin", $"HEAD:refs/heads/{branch}");

    /// <summary>Commits and pushes to <paramref name="branch"/>; returns the SHA.</summary>
    public async Task<string> CommitAndPushAsync(string message, string branch = "main")
    {
        var sha = await CommitAsync(message);
        await PushAsync(branch);
        return sha;
    }

    /// <summary>Tags HEAD (annotated when a message is given) and pushes the tag.</summary>
    public async Task TagAndPushAsync(string tag, string? annotation = null)
    {
        if (annotation is null) await GitAsync("tag", tag);
        else await GitAsync("tag", "-a", tag, "-m", annotation);
        await GitAsync("push", "-q", "origin", $"refs/tags/{tag}");
    }

    public async Task<string> HeadAsync() => (await GitAsync("rev-parse", "HEAD")).StdOut.Trim();

    public async Task<ProcessResult> GitAsync(params string[] args) => await Run(args, Path);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Temp folder: best effort.
        }
    }

    private string Full(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    private static async Task<ProcessResult> Run(IEnumerable<string> args, string? workingDirectory, bool allowFailure = false)
    {
        var list = args.ToList();
        var result = await ProcessRunner.RunAsync("git", list, environment: IsolatedGitEnvironment, workingDirectory: workingDirectory, timeout: TimeSpan.FromMinutes(1));
        if (result.ExitCode != 0 && !allowFailure) throw new InvalidOperationException($"git {string.Join(' ', list)} failed: {result}");
        return result;
    }
}
