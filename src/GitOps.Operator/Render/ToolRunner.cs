using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace GitOps.Operator.Render;

/// <summary>One tool invocation: the file, its arguments (a list, never a shell line), where it runs and what it may see.</summary>
public sealed record ToolInvocation(string File, IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Paths replaced in the tool's messages (longest first) so no local temp path leaks into status.</summary>
    public IReadOnlyList<(string Path, string ShownAs)> Redactions { get; init; } = [];

    /// <summary>What the run is, for metrics: kustomize or helm (the file name when not set).</summary>
    public string Tool { get; init; } = "";

    /// <summary>Text written to the tool's standard input (a decrypted values file: it never touches a disk); null closes it at once.</summary>
    public string? StandardInput { get; init; }

    /// <summary>Never shows <see cref="StandardInput"/> (it may hold decrypted secrets).</summary>
    public override string ToString() => $"{File} {string.Join(' ', Arguments)}{(StandardInput is null ? "" : " < (stdin)")}";
}

/// <summary>
/// Runs render tools as child processes: no shell, arguments as a list, an environment holding only
/// what the invocation names (never the operator's own variables or secrets), a timeout that kills
/// the whole process tree, a cap on stdout, and a bound on how many run at once.
/// <paramref name="ran"/> hears of every process that was started: the tool and how long it ran.
/// </summary>
public sealed class ToolRunner(RenderToolOptions options, Action<string, TimeSpan>? ran = null)
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.MaxConcurrency));
    private long _started;

    /// <summary>How many tool processes this runner has started (the no-op resync cost).</summary>
    public long ProcessesStarted => Interlocked.Read(ref _started);

    public RenderToolOptions Options => options;

    /// <summary>Runs the tool and returns its stdout; any failure is a <see cref="RenderException"/> with the tool's trimmed message.</summary>
    public async Task<string> RunAsync(ToolInvocation invocation, CancellationToken ct)
    {
        var name = Path.GetFileName(invocation.File);
        await _slots.WaitAsync(ct);
        try
        {
            var psi = new ProcessStartInfo(invocation.File)
            {
                WorkingDirectory = invocation.WorkingDirectory,
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                CreateNoWindow = true,
            };
            foreach (var a in invocation.Arguments) psi.ArgumentList.Add(a);
            psi.Environment.Clear();
            foreach (var (k, v) in invocation.Environment) psi.Environment[k] = v;

            using var process = new Process { StartInfo = psi };
            try
            {
                process.Start();
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                throw new RenderException($"{name} could not be started: {e.Message}");
            }
            Interlocked.Increment(ref _started);
            var startedAt = Stopwatch.GetTimestamp();
            using var report = new Reporter(() => ran?.Invoke(invocation.Tool.Length > 0 ? invocation.Tool : name, Stopwatch.GetElapsedTime(startedAt)));
            var stdin = WriteInputAsync(process, invocation.StandardInput);

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Timeout);
            var stdout = new MemoryStream();
            var overflow = false;
            var stderrTask = ReadTailAsync(process.StandardError.BaseStream, 64 * 1024, timeout.Token);
            try
            {
                var buffer = new byte[81920];
                var stream = process.StandardOutput.BaseStream;
                int read;
                while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
                {
                    if (stdout.Length + read > options.MaxOutputBytes)
                    {
                        overflow = true;
                        break;
                    }
                    stdout.Write(buffer, 0, read);
                }
                if (!overflow) await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                Kill(process);
                throw new RenderException($"{name} did not finish within {options.Timeout.TotalSeconds:0.#}s and was stopped");
            }
            catch (OperationCanceledException)
            {
                Kill(process);
                throw;
            }
            if (overflow)
            {
                Kill(process);
                throw new RenderException($"{name} printed more than the output limit of {options.MaxOutputBytes} bytes and was stopped");
            }
            await stdin;
            var stderr = await stderrTask;
            if (process.ExitCode != 0)
                throw new RenderException($"{name} failed (exit {process.ExitCode}): {Clean(stderr, invocation.Redactions)}");
            return Encoding.UTF8.GetString(stdout.GetBuffer(), 0, (int)stdout.Length);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Writes the input beside the output reads (a large input must not block on a full pipe), then closes stdin.</summary>
    private static async Task WriteInputAsync(Process process, string? input)
    {
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input);
                await process.StandardInput.FlushAsync();
            }
        }
        catch (IOException)
        {
            // The tool exited without reading everything; its exit code and message say why.
        }
        finally
        {
            try { process.StandardInput.Close(); }
            catch (IOException) { }
        }
    }

    private sealed class Reporter(Action report) : IDisposable
    {
        public void Dispose() => report();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static async Task<string> ReadTailAsync(Stream stream, int max, CancellationToken ct)
    {
        var tail = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, ct)) > 0)
            {
                if (tail.Length + read > max)
                {
                    var keep = tail.ToArray()[^Math.Min((int)tail.Length, max / 2)..];
                    tail.SetLength(0);
                    tail.Write(keep);
                }
                tail.Write(buffer, 0, read);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
        return Encoding.UTF8.GetString(tail.ToArray());
    }

    private static readonly Regex Credentials = new(@"(?<=://)[^/\s:@]+:[^/\s@]+@", RegexOptions.CultureInvariant);
    private static readonly Regex TempPaths = new(@"(/tmp|/var/folders|/private/var)/[^\s:'""]*", RegexOptions.CultureInvariant);

    /// <summary>The tool's message: local paths shown relative to the repository, credentials and temp paths removed, trimmed.</summary>
    internal static string Clean(string message, IReadOnlyList<(string Path, string ShownAs)> redactions)
    {
        var text = message;
        foreach (var (path, shown) in redactions.Where(r => r.Path.Length > 0).OrderByDescending(r => r.Path.Length))
        {
            text = text.Replace(path.TrimEnd('/') + "/", shown.Length == 0 ? "" : shown.TrimEnd('/') + "/", StringComparison.Ordinal);
            text = text.Replace(path.TrimEnd('/'), shown.Length == 0 ? "." : shown, StringComparison.Ordinal);
        }
        text = Credentials.Replace(text, "");
        text = TempPaths.Replace(text, "<temp>");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Usage:", StringComparison.Ordinal)).Take(20);
        text = string.Join(" ", lines);
        if (text.StartsWith("Error: ", StringComparison.Ordinal)) text = text[7..];
        return text.Length > 2000 ? text[..2000] + "…" : text.Length == 0 ? "(no message)" : text;
    }
}
