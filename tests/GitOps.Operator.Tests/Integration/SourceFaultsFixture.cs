using GitOps.Operator.Hosting;
using GitOps.Operator.Source;
using GitOps.Testing;
using Microsoft.AspNetCore.Builder;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// A cluster, a Git server and an operator of their own for tests that break the source: the
/// operator's Git deadlines are short (a hung fetch fails in seconds) and its source cache lives on
/// a small tmpfs mounted for the purpose, which a test may fill or remount read-only.
/// </summary>
public sealed class SourceFaultsFixture : IAsyncLifetime
{
    /// <summary>The deadlines the operator runs with: a fetch gives up after 4 s, a connection with no progress after 5 s.</summary>
    public static readonly GitSourceTimeouts Timeouts = GitSourceTimeouts.Default with
    {
        Resolve = TimeSpan.FromSeconds(5), Fetch = TimeSpan.FromSeconds(4), Stall = TimeSpan.FromSeconds(5),
    };

    private WebApplication? _operator;

    public OperatorFixture Cluster { get; } = new() { StartOperator = false };

    /// <summary>The operator's source cache: a 32 MiB tmpfs when <see cref="MountRefusal"/> is null, else a plain folder.</summary>
    public string CacheDirectory { get; } = Directory.CreateTempSubdirectory("gitops-cache-fs-").FullName;

    /// <summary>Why no tmpfs could be mounted (not root, no CAP_SYS_ADMIN), or null when it is.</summary>
    public string? MountRefusal { get; private set; }

    public Uri OperatorAddress { get; private set; } = null!;

    /// <summary>Every log line of the operator.</summary>
    public StringWriter Logs { get; } = new();

    public async Task InitializeAsync()
    {
        await Cluster.InitializeAsync();
        var mount = await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", "size=32m,mode=0755", "tmpfs", CacheDirectory]);
        if (mount.ExitCode != 0) MountRefusal = $"cannot mount a tmpfs: {mount.StdErr.Trim()}";
        (_operator, var address) = await Cluster.StartOperatorAsync(
            OperatorOptions.Default with { LeaderElection = false, LogCopy = TextWriter.Synchronized(Logs), GitTimeouts = Timeouts },
            cacheDirectory: CacheDirectory);
        OperatorAddress = address;
    }

    /// <summary>
    /// Remounts the cache read-only or writable again. A read-only remount fails ("mount point is busy")
    /// while a file on the mount is open for writing or deleted but still open: the operator's fetches
    /// and tree writes (other tests' Applications keep reconciling) are short, so it is tried again until a
    /// deadline; past it the error names the operator's files open on the mount (a handle kept open is a bug).
    /// </summary>
    public async Task RemountAsync(bool readOnly)
    {
        ProcessResult? result = null;
        var busy = false;
        await Eventually.TryAsync(async () =>
        {
            result = await ProcessRunner.RunAsync("mount", ["-o", readOnly ? "remount,ro" : "remount,rw", CacheDirectory]);
            busy = result.ExitCode != 0 && result.StdErr.Contains("busy", StringComparison.Ordinal);
            return !busy;
        }, TimeSpan.FromSeconds(20));
        if (result!.ExitCode != 0)
            throw new InvalidOperationException($"remount failed: {result}{(busy ? $"still busy after 20 s; open on the mount: {string.Join(", ", OpenOnMount())}" : "")}");
    }

    /// <summary>This process's (the operator's) open files under the cache, each with its open flags (octal, as /proc shows them).</summary>
    private IEnumerable<string> OpenOnMount()
    {
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            string flags;
            try
            {
                target = new FileInfo(fd).LinkTarget;
                flags = File.ReadLines($"/proc/self/fdinfo/{Path.GetFileName(fd)}").FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal))?[6..].Trim() ?? "?";
            }
            catch (IOException)
            {
                continue; // closed meanwhile
            }
            if (target is not null && target.StartsWith(CacheDirectory, StringComparison.Ordinal)) yield return $"{target} (flags {flags})";
        }
    }

    /// <summary>
    /// Files and folders a fetch or a tree write left half done in the cache: lock files, temp packs,
    /// temp trees. Any of them could wedge or confuse a later fetch.
    /// </summary>
    public IReadOnlyList<string> Leftovers() =>
        Directory.EnumerateFileSystemEntries(CacheDirectory, "*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".lock", StringComparison.Ordinal) || Path.GetFileName(p).StartsWith(".tmp-", StringComparison.Ordinal)
                || Path.GetFileName(p).StartsWith("pack_git2_", StringComparison.Ordinal) || Path.GetFileName(p).StartsWith("tmp_", StringComparison.Ordinal))
            .ToList();

    public async Task DisposeAsync()
    {
        if (_operator is not null)
        {
            await _operator.StopAsync();
            await _operator.DisposeAsync();
        }
        await Cluster.DisposeAsync();
        if (MountRefusal is null) await ProcessRunner.RunAsync("umount", ["-l", CacheDirectory]);
        try { Directory.Delete(CacheDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class SourceFaultsCollection : ICollectionFixture<SourceFaultsFixture>
{
    public const string Name = "source-faults";
}
