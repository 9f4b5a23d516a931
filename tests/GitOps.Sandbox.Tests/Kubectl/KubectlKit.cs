using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Infrastructure;
using GitOps.Testing;

namespace GitOps.Sandbox.Tests.KubectlCli;

/// <summary>Helpers shared by the kubectl and helm end-to-end tests.</summary>
internal static class KubectlKit
{
    /// <summary>Reads an object as JSON with `kubectl get -o json`.</summary>
    public static async Task<JsonObject> GetJsonAsync(ApiTarget target, string ns, params string[] what)
    {
        var text = await Kubectl.OkAsync(target, ["get", "-n", ns, .. what, "-o", "json", "--show-managed-fields"]);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Whether an object exists (kubectl get exits 0), via `--ignore-not-found` output.</summary>
    public static async Task<bool> ExistsAsync(ApiTarget target, string ns, string what)
    {
        var result = await Kubectl.RunAsync(target, "get", "-n", ns, what, "--ignore-not-found", "-o", "name");
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StdOut.Trim().Length > 0;
    }

    public static string Str(JsonNode? node) => node?.GetValue<string>() ?? "";

    /// <summary>The lines of `kubectl get -o name` output but the ConfigMaps <paramref name="clusters"/> a real cluster's controllers made.</summary>
    public static IReadOnlyList<string> WithoutClusterConfigMaps(string names, IReadOnlySet<string> clusters) =>
        [.. names.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !(l.StartsWith("configmap/", StringComparison.Ordinal) && clusters.Contains(l["configmap/".Length..])))];

    /// <summary>stderr lines that are neither empty nor the version-skew warning.</summary>
    public static IReadOnlyList<string> UnexpectedStdErr(string stderr) =>
        [.. stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.Contains("version difference", StringComparison.OrdinalIgnoreCase)
                        && !l.Contains("exceeds the supported minor version skew", StringComparison.OrdinalIgnoreCase))];

    /// <summary>A temp file holding <paramref name="text"/>, deleted with the returned handle.</summary>
    public static TempFile Write(string text, string extension = ".yaml") => new(text, extension);

    public static string UniqueGroup(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 8)] + ".e2e.gitops.dev";
}

internal sealed class TempFile : IDisposable
{
    public TempFile(string text, string extension)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gitops-e2e-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(Path, text);
    }

    public string Path { get; }

    public void Update(string text) => File.WriteAllText(Path, text);

    public void Dispose() => File.Delete(Path);
}

/// <summary>A long-running kubectl (such as `get -w`) whose output the test waits on, then kills.</summary>
internal sealed class BackgroundKubectl : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public BackgroundKubectl(ApiTarget target, params string[] args)
    {
        var info = new ProcessStartInfo(ToolPaths.Kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--kubeconfig", target.KubeconfigPath }.Concat(args)) info.ArgumentList.Add(a);
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start kubectl");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string StdOut { get { lock (_stdout) return _stdout.ToString(); } }
    public string StdErr { get { lock (_stderr) return _stderr.ToString(); } }

    public string[] Lines => StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Waits until some output line satisfies <paramref name="match"/>.</summary>
    public Task WaitForLineAsync(Func<string, bool> match, string what) =>
        Eventually.WaitAsync(() => Task.FromResult(Lines.Any(match)), TimeSpan.FromSeconds(20), $"{what}; stdout so far:\n{StdOut}\nstderr:\n{StdErr}");

    /// <summary>Waits (with a deadline) for the process to end on its own and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
