using System.Text;

namespace GitOps.Operator.Source;

/// <summary>
/// How to authenticate to a Git repository, read from the Secret an Application names in
/// <c>spec.source.secretRef</c> (the keys Argo CD and Flux repository Secrets use). Over HTTP(S):
/// anonymous, <see cref="Username"/>/<see cref="Password"/> (basic auth) or <see cref="BearerToken"/>.
/// Over SSH: <see cref="SshPrivateKey"/> plus <see cref="KnownHosts"/> (hosts not listed are refused).
/// <see cref="ToString"/> never prints a secret value.
/// </summary>
public sealed record RepoCredentials
{
    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? BearerToken { get; init; }

    /// <summary>An OpenSSH private key (PEM/OpenSSH text), without a passphrase.</summary>
    public string? SshPrivateKey { get; init; }

    /// <summary><c>known_hosts</c> lines for the SSH server(s); required with an SSH key.</summary>
    public string? KnownHosts { get; init; }

    public static RepoCredentials Basic(string username, string password) => new() { Username = username, Password = password };

    public static RepoCredentials Bearer(string token) => new() { BearerToken = token };

    public static RepoCredentials Ssh(string privateKey, string knownHosts) => new() { SshPrivateKey = privateKey, KnownHosts = knownHosts };

    /// <summary>
    /// Reads a Kubernetes Secret's <c>data</c> (already base64-decoded, as KubernetesClient gives it):
    /// keys <c>username</c>, <c>password</c>, <c>bearerToken</c>, <c>sshPrivateKey</c>, <c>knownHosts</c>.
    /// Unknown keys are ignored; empty values count as absent.
    /// </summary>
    public static RepoCredentials FromSecretData(IDictionary<string, byte[]> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new RepoCredentials
        {
            Username = Read(data, "username"),
            Password = Read(data, "password"),
            BearerToken = Read(data, "bearerToken"),
            SshPrivateKey = Read(data, "sshPrivateKey"),
            KnownHosts = Read(data, "knownHosts"),
        };
    }

    internal bool HasBasic => Username is not null || Password is not null;

    internal bool IsAnonymous => !HasBasic && BearerToken is null && SshPrivateKey is null && KnownHosts is null;

    /// <summary>What kind of credential this is, for messages ("username/password", "bearer token", "SSH key").</summary>
    internal string Kind => SshPrivateKey is not null ? "SSH key" : BearerToken is not null ? "bearer token" : HasBasic ? "username/password" : "no credentials";

    /// <summary>A cache-key name for these credentials (never a secret); see <see cref="CredentialIdentity"/>.</summary>
    internal string Identity => CredentialIdentity.Of(this);

    internal bool HasSshKey => SshPrivateKey is not null;

    /// <summary>Every value that must never appear in a message, a log line, a status or an event.</summary>
    internal IEnumerable<string> SecretValues()
    {
        if (!string.IsNullOrEmpty(Password)) yield return Password;
        if (!string.IsNullOrEmpty(BearerToken)) yield return BearerToken;
        if (!string.IsNullOrEmpty(SshPrivateKey)) yield return SshPrivateKey;
        if (HasBasic)
        {
            // The Authorization header a client would send, in case a library echoes it.
            yield return Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));
        }
    }

    public override string ToString()
    {
        var parts = new List<string>();
        if (Username is not null) parts.Add($"Username = {Username}");
        if (Password is not null) parts.Add("Password = ***");
        if (BearerToken is not null) parts.Add("BearerToken = ***");
        if (SshPrivateKey is not null) parts.Add("SshPrivateKey = ***");
        if (KnownHosts is not null) parts.Add($"KnownHosts = {KnownHosts.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length} line(s)");
        return parts.Count == 0 ? "RepoCredentials { anonymous }" : $"RepoCredentials {{ {string.Join(", ", parts)} }}";
    }

    private static string? Read(IDictionary<string, byte[]> data, string key) =>
        data.TryGetValue(key, out var bytes) && bytes is { Length: > 0 } ? Encoding.UTF8.GetString(bytes) : null;
}
