using System.Diagnostics;
using System.Text;

namespace GitOps.Operator.Source;

/// <summary>
/// SSH repositories through the <c>git</c> CLI, because LibGit2Sharp 0.32 exposes neither SSH key
/// credentials nor an SSH host-key check. The key goes to a temp file (0600, in a 0700 directory
/// deleted afterwards) and <c>GIT_SSH_COMMAND</c> runs <c>ssh</c> with
/// <c>StrictHostKeyChecking=yes</c> and <c>UserKnownHostsFile</c> holding only the Secret's
/// <c>knownHosts</c>: a host not listed there is refused. No user or system git/ssh config is read.
/// </summary>
internal static class GitCli
{
    public static async Task<RemoteRefs> ListRefsAsync(RepoUrl url, RepoCredentials? credentials, TimeSpan timeout, CancellationToken ct)
    {
        var output = await RunAsync(url, credentials, null, ["ls-remote", "--symref", url.TransportUrl], timeout, "cannot list references", ct);
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        string? headTarget = null;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0) continue;
            var left = line[..tab];
            var name = line[(tab + 1)..];
            if (left.StartsWith("ref: ", StringComparison.Ordinal))
            {
                if (name == "HEAD") headTarget = left[5..];
            }
            else if (RemoteRefs.IsFullSha(left))
            {
                refs[name] = left.ToLowerInvariant();
            }
        }

        return new RemoteRefs(refs, headTarget);
    }

    public static Task FetchAsync(string repoDirectory, RepoUrl url, RepoCredentials? credentials, TimeSpan timeout, CancellationToken ct) =>
        RunAsync(url, credentials, repoDirectory, ["fetch", "--no-tags", "--no-write-fetch-head", "origin", .. LibGit2Remote.FetchRefSpecs], timeout, "fetch failed", ct);

    private static async Task<string> RunAsync(RepoUrl url, RepoCredentials? credentials, string? workingDirectory, string[] args, TimeSpan timeout, string what, CancellationToken ct)
    {
        if (credentials?.SshPrivateKey is null)
        {
            throw SourceErrors.Create(SourceFailureReason.CredentialsUnusable, url, "an SSH repository needs sshPrivateKey and knownHosts in its Secret", credentials);
        }

        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("SSH sources need a Unix file system (0600 key files)");
        var secretDir = Path.Combine(Path.GetTempPath(), "gitops-ssh-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(secretDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var keyFile = Path.Combine(secretDir, "key");
            var knownHostsFile = Path.Combine(secretDir, "known_hosts");
            WritePrivate(keyFile, credentials.SshPrivateKey.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n");
            WritePrivate(knownHostsFile, (credentials.KnownHosts ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n");
            var connectTimeout = Math.Max(1, (int)Math.Min(timeout.TotalSeconds, 30));
            var sshCommand = $"ssh -F /dev/null -i {Quote(keyFile)} -o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes " +
                             $"-o StrictHostKeyChecking=yes -o UserKnownHostsFile={Quote(knownHostsFile)} -o GlobalKnownHostsFile=/dev/null " +
                             $"-o ConnectTimeout={connectTimeout} -o LogLevel=ERROR";

            var info = new ProcessStartInfo("git")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory ?? secretDir,
            };
            foreach (var a in args) info.ArgumentList.Add(a);
            info.Environment["GIT_SSH_COMMAND"] = sshCommand;
            info.Environment["GIT_TERMINAL_PROMPT"] = "0";
            info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
            info.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
            info.Environment["LC_ALL"] = "C";
            info.Environment.Remove("SSH_AUTH_SOCK");

            using var process = Process.Start(info) ?? throw SourceErrors.Create(SourceFailureReason.FetchFailed, url, "cannot start git", credentials);
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                ct.ThrowIfCancellationRequested();
                throw SourceErrors.Create(SourceFailureReason.Timeout, url, $"{what}: no answer within {timeout.TotalSeconds:0.#}s", credentials);
            }

            var error = await stderr;
            if (process.ExitCode != 0)
            {
                var reason = SourceErrors.Classify(error, SourceFailureReason.FetchFailed);
                throw SourceErrors.Create(reason, url, what, credentials, error.Length > 2000 ? error[..2000] : error);
            }

            return await stdout;
        }
        finally
        {
            try
            {
                Directory.Delete(secretDir, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the directory is 0700 in the temp folder.
            }
        }
    }

    private static void WritePrivate(string path, string content)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException();
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        stream.Write(Encoding.UTF8.GetBytes(content));
    }

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
