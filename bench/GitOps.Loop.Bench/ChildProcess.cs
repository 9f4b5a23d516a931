using System.Diagnostics;
using System.Globalization;

namespace GitOps.Loop.Bench;

/// <summary>
/// A `gitops` subcommand (sandbox, operator) running as a child process, so its memory and CPU
/// are its own. Its output goes to a log file; disposing stops it (SIGTERM via Kill on the one pid
/// it started, then waits).
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _pump;

    private ChildProcess(Process process, StreamWriter log, string logPath)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
        _pump = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
    }

    public int Pid => _process.Id;
    public string LogPath { get; }
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <c>dotnet gitops.dll args</c> (or the apphost) with extra environment variables; with <paramref name="cores"/>,
    /// through <c>taskset -c</c>, which runs it in its own place (the same pid) on those cores from its first thread on.
    /// </summary>
    public static ChildProcess Start(string gitops, IReadOnlyList<string> args, string logPath, IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyList<int>? cores = null)
    {
        var isDll = gitops.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var program = isDll ? "dotnet" : gitops;
        var info = new ProcessStartInfo(cores is null ? program : "taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (cores is not null)
            foreach (var a in new[] { "-c", CoreSplit.Describe(cores), program }) info.ArgumentList.Add(a);
        if (isDll) info.ArgumentList.Add(gitops);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = Process.Start(info) ?? throw new BenchException($"cannot start {gitops}");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        return new ChildProcess(process, log, logPath);
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_log) _log.WriteLine(line);
        }
    }

    /// <summary>The last lines of its log, for an error message.</summary>
    public string Tail(int lines = 15)
    {
        try
        {
            lock (_log) _log.Flush();
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var all = new StreamReader(stream).ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // SIGTERM first (a graceful host stop), then SIGKILL.
                using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try { await _process.WaitForExitAsync(wait.Token); }
                catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
            _process.Kill(entireProcessTree: true);
        }
        try { await _pump.WaitAsync(TimeSpan.FromSeconds(5)); }
        catch (TimeoutException) { }
        _process.Dispose();
        lock (_log) _log.Dispose();
    }
}

/// <summary>A benchmark step failed for a reason a person can act on; the message is one line.</summary>
public sealed class BenchException(string message) : Exception(message);
