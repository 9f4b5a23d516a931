using System.Diagnostics;
using System.Text;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// `gitops operator` as a real child process (the build output of src/GitOps.Operator run with
/// `dotnet`), so a test can kill it with SIGKILL. Its temp folder (TMPDIR, hence its source cache)
/// is the caller's, so the next process finds what the killed one left. Output is kept for failures.
/// </summary>
internal sealed class OperatorProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private OperatorProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>The operator's assembly built beside this test assembly's configuration (Debug or Release).</summary>
    public static string OperatorDll
    {
        get
        {
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(ToolPaths.RepoRoot, "src", "GitOps.Operator", "bin", framework.Parent!.Name, framework.Name, "gitops.dll");
        }
    }

    public static OperatorProcess Start(string kubeconfig, string tempDirectory, params string[] extraArgs)
    {
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = tempDirectory,
        };
        foreach (var a in new[] { OperatorDll, "operator", "--kubeconfig", kubeconfig, "--listen=127.0.0.1:0", "--no-leader-election" }.Concat(extraArgs))
            info.ArgumentList.Add(a);
        info.Environment["TMPDIR"] = tempDirectory;
        info.Environment["HOME"] = tempDirectory;
        info.Environment["PATH"] = ToolPaths.ToolsBinDir + ":" + Environment.GetEnvironmentVariable("PATH");
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start the operator");
        var running = new OperatorProcess(process);
        process.OutputDataReceived += (_, e) => running.Append(e.Data);
        process.ErrorDataReceived += (_, e) => running.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Waits until the output holds <paramref name="text"/>; false at the deadline or if the process ended.</summary>
    public Task<bool> OutputContainsAsync(string text, TimeSpan deadline) =>
        Eventually.TryAsync(() => Task.FromResult(Output.Contains(text, StringComparison.Ordinal) || _process.HasExited), deadline)
            .ContinueWith(t => t.Result && Output.Contains(text, StringComparison.Ordinal), TaskScheduler.Default);

    /// <summary>SIGKILL: no shutdown code runs, as with `kill -9` or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(deadline.Token);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
