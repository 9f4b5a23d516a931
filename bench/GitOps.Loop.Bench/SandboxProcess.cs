namespace GitOps.Loop.Bench;

/// <summary>
/// A <c>gitops sandbox</c> child process on a free loopback port, once it has written its kubeconfig
/// (<c>DIR/kubeconfig</c>, the admin's token; its log is <c>DIR/sandbox.log</c>). Disposing stops it.
/// </summary>
internal sealed class SandboxProcess : IAsyncDisposable
{
    private SandboxProcess(ChildProcess process, Uri url, string kubeconfig)
    {
        Process = process;
        Url = url;
        Kubeconfig = kubeconfig;
    }

    public ChildProcess Process { get; }

    /// <summary>The API server's address, with a trailing slash.</summary>
    public Uri Url { get; }

    /// <summary>The path of the kubeconfig it wrote.</summary>
    public string Kubeconfig { get; }

    /// <param name="cores">The cores it runs on (--cluster-cores); null: any.</param>
    public static async Task<SandboxProcess> StartAsync(string gitops, string dir, TimeSpan timeout, CancellationToken ct, IReadOnlyList<int>? cores = null)
    {
        Directory.CreateDirectory(dir);
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        var process = ChildProcess.Start(gitops, ["sandbox", "--listen", "127.0.0.1:0", "--kubeconfig-out", kubeconfig], Path.Combine(dir, "sandbox.log"), cores: cores);
        try
        {
            await Waiting.ForAsync(() =>
            {
                if (process.HasExited) throw new BenchException($"the sandbox exited: {process.Tail()}");
                return Task.FromResult(File.Exists(kubeconfig) && File.ReadAllText(kubeconfig).Contains("current-context", StringComparison.Ordinal));
            }, timeout, "the sandbox to write its kubeconfig", ct);
            var server = File.ReadAllLines(kubeconfig).Select(l => l.Trim()).First(l => l.StartsWith("server:", StringComparison.Ordinal))["server:".Length..].Trim();
            return new SandboxProcess(process, new Uri(server.TrimEnd('/') + "/"), kubeconfig);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
