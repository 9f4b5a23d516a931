using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GitOps.Testing;

/// <summary>
/// Debian's OpenSSH <c>sshd</c> on a loopback port as a child process, serving git over SSH for
/// tests: a fresh host key, one authorised client key, no PAM, no passwords. Repositories are any
/// absolute paths on this machine (<c>ssh://&lt;user&gt;@127.0.0.1:&lt;port&gt;/abs/path.git</c>), so it
/// can serve the same bare repositories as the HTTP test server.
/// <see cref="UnavailableReason"/> says why it cannot run here (then tests skip with that reason).
/// </summary>
internal sealed class GitSshServer : IAsyncDisposable
{
    public const string SshdPath = "/usr/sbin/sshd";

    private readonly Process _process;
    private readonly string _dir;

    private GitSshServer(Process process, string dir, int port, string clientKey, string knownHosts, string otherKnownHosts)
    {
        _process = process;
        _dir = dir;
        Port = port;
        ClientPrivateKey = clientKey;
        KnownHosts = knownHosts;
        WrongKnownHosts = otherKnownHosts;
    }

    public int Port { get; }

    /// <summary>The authorised client key (OpenSSH format).</summary>
    public string ClientPrivateKey { get; }

    /// <summary>A <c>known_hosts</c> line for this server.</summary>
    public string KnownHosts { get; }

    /// <summary>A <c>known_hosts</c> line naming this host with a different key (a man in the middle, as ssh sees it).</summary>
    public string WrongKnownHosts { get; }

    /// <summary>Null when sshd can run here (present, or installable with apt as root); otherwise why not.</summary>
    public static string? UnavailableReason =>
        !OperatingSystem.IsLinux() ? "sshd tests run on Linux only"
        : File.Exists(SshdPath) ? null
        : Environment.UserName == "root" && File.Exists("/usr/bin/apt-get") ? null
        : $"{SshdPath} is missing and openssh-server cannot be installed (not root or no apt-get)";

    public string Url(string absoluteRepoPath) => $"ssh://{Environment.UserName}@127.0.0.1:{Port}{absoluteRepoPath}";

    public static async Task<GitSshServer> StartAsync()
    {
        if (UnavailableReason is { } reason) throw new InvalidOperationException(reason);
        await EnsureInstalledAsync();
        var dir = Path.Combine(Path.GetTempPath(), "gitops-sshd-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        Directory.CreateDirectory("/run/sshd");
        await KeygenAsync(Path.Combine(dir, "host"));
        await KeygenAsync(Path.Combine(dir, "client"));
        await KeygenAsync(Path.Combine(dir, "other"));
        File.Copy(Path.Combine(dir, "client.pub"), Path.Combine(dir, "authorized_keys"));
        var port = FreePort();
        var config = Path.Combine(dir, "sshd_config");
        await File.WriteAllTextAsync(config, $"""
            Port {port}
            ListenAddress 127.0.0.1
            HostKey {dir}/host
            PidFile {dir}/sshd.pid
            AuthorizedKeysFile {dir}/authorized_keys
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            PermitRootLogin prohibit-password
            AllowTcpForwarding no
            X11Forwarding no
            LogLevel ERROR

            """);
        var info = new ProcessStartInfo(SshdPath) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-D", "-e", "-f", config }) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start sshd");
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await Eventually.WaitAsync(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"sshd exited with {process.ExitCode}");
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), "sshd listening");
        var hostPub = (await File.ReadAllTextAsync(Path.Combine(dir, "host.pub"))).Split(' ');
        var otherPub = (await File.ReadAllTextAsync(Path.Combine(dir, "other.pub"))).Split(' ');
        return new GitSshServer(process, dir, port, await File.ReadAllTextAsync(Path.Combine(dir, "client")),
            $"[127.0.0.1]:{port} {hostPub[0]} {hostPub[1]}", $"[127.0.0.1]:{port} {otherPub[0]} {otherPub[1]}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Temp folder: best effort.
        }
    }

    private static async Task EnsureInstalledAsync()
    {
        if (File.Exists(SshdPath)) return;
        var env = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        string[] install = ["install", "-y", "-q", "--no-install-recommends", "openssh-server"];
        var result = await ProcessRunner.RunAsync("apt-get", install, environment: env, timeout: TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0)
        {
            await ProcessRunner.RunAsync("apt-get", ["update", "-q"], environment: env, timeout: TimeSpan.FromMinutes(5));
            result = await ProcessRunner.RunAsync("apt-get", install, environment: env, timeout: TimeSpan.FromMinutes(5));
        }

        if (!File.Exists(SshdPath)) throw new InvalidOperationException($"installing openssh-server failed: {result}");
    }

    private static async Task KeygenAsync(string path)
    {
        var result = await ProcessRunner.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "gitops-test", "-f", path]);
        if (result.ExitCode != 0) throw new InvalidOperationException($"ssh-keygen failed: {result}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
