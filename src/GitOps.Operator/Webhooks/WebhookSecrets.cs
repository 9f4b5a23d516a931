using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;

namespace GitOps.Operator.Webhooks;

/// <summary>
/// The webhook secrets, read from the Kubernetes Secret named by <c>--webhook-secret-ref</c>:
/// key <c>secret</c> for every provider, or <c>github</c>, <c>gitlab</c>, <c>bitbucket</c>,
/// <c>gitea</c>, <c>generic</c> for one (those win). A read is trusted for
/// <see cref="WebhookOptions.SecretRefresh"/>, so a rotated secret is picked up that late at most
/// (and at once after a signature mismatch). No ref, no Secret or no key: null, and the delivery
/// is refused.
/// </summary>
public sealed class WebhookSecrets(IKubeApi api, WebhookOptions options, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, byte[]>? _data;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public bool Configured => ParseRef(options.SecretRef) is not null;

    /// <summary>The secret for a provider, or null when none is configured.</summary>
    public async Task<byte[]?> GetAsync(WebhookProvider provider, bool afterMismatch, CancellationToken ct)
    {
        if (ParseRef(options.SecretRef) is not { } secretRef) return null;
        var age = time.GetUtcNow() - _readAt;
        if (_data is null || age >= options.SecretRefresh || (afterMismatch && age >= options.SecretRereadOnFailure))
        {
            await _gate.WaitAsync(ct);
            try
            {
                age = time.GetUtcNow() - _readAt;
                if (_data is null || age >= options.SecretRefresh || (afterMismatch && age >= options.SecretRereadOnFailure))
                {
                    _data = await ReadAsync(secretRef.Namespace, secretRef.Name, ct);
                    _readAt = time.GetUtcNow();
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        var data = _data;
        var key = provider.ToString().ToLowerInvariant();
        if (data.TryGetValue(key, out var specific) && specific.Length > 0) return specific;
        return data.TryGetValue("secret", out var shared) && shared.Length > 0 ? shared : null;
    }

    private async Task<Dictionary<string, byte[]>> ReadAsync(string ns, string name, CancellationToken ct)
    {
        var secret = await api.GetAsync($"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/secrets/{Uri.EscapeDataString(name)}", ct);
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (secret?["data"] is JsonObject d)
            foreach (var (k, v) in d)
                if (v is JsonValue s && s.TryGetValue<string>(out var b64))
                {
                    try { data[k] = TrimNewline(Convert.FromBase64String(b64)); }
                    catch (FormatException) { }
                }
        return data;
    }

    /// <summary>A secret written with <c>echo</c> ends in a newline nobody meant.</summary>
    private static byte[] TrimNewline(byte[] value)
    {
        var n = value.Length;
        while (n > 0 && value[n - 1] is (byte)'\n' or (byte)'\r') n--;
        return n == value.Length ? value : value[..n];
    }

    /// <summary>NAMESPACE/NAME, or null when absent or malformed.</summary>
    public static (string Namespace, string Name)? ParseRef(string? secretRef)
    {
        if (string.IsNullOrWhiteSpace(secretRef)) return null;
        var parts = secretRef.Split('/');
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0 ? (parts[0], parts[1]) : null;
    }
}
