using System.Text.RegularExpressions;

namespace GitOps.Operator.Render.Sops;

/// <summary>
/// Which values of a SOPS document are encrypted: at most one of unencrypted_suffix (the default,
/// <c>_unencrypted</c>), encrypted_suffix, unencrypted_regex, encrypted_regex, each matched against
/// every key on the value's path, as SOPS does. Regexes are Go RE2 patterns, matched here without
/// backtracking (linear time: the pattern comes from Git).
/// </summary>
public sealed record SopsRules
{
    public const string DefaultUnencryptedSuffix = "_unencrypted";

    /// <summary>What <c>gitops secret encrypt</c> uses for a Kubernetes object: only data and stringData are encrypted.</summary>
    public const string KubernetesEncryptedRegex = "^(data|stringData)$";

    public string? UnencryptedSuffix { get; init; }
    public string? EncryptedSuffix { get; init; }
    public string? UnencryptedRegex { get; init; }
    public string? EncryptedRegex { get; init; }
    public bool MacOnlyEncrypted { get; init; }

    public static SopsRules Default { get; } = new() { UnencryptedSuffix = DefaultUnencryptedSuffix };

    public bool ShouldEncrypt(IReadOnlyList<string> path)
    {
        var encrypted = true;
        if (!string.IsNullOrEmpty(UnencryptedSuffix) && path.Any(p => p.EndsWith(UnencryptedSuffix, StringComparison.Ordinal))) encrypted = false;
        if (!string.IsNullOrEmpty(EncryptedSuffix)) encrypted = path.Any(p => p.EndsWith(EncryptedSuffix, StringComparison.Ordinal));
        if (!string.IsNullOrEmpty(UnencryptedRegex) && path.Any(p => Regex(UnencryptedRegex).IsMatch(p))) encrypted = false;
        if (!string.IsNullOrEmpty(EncryptedRegex)) encrypted = path.Any(p => Regex(EncryptedRegex).IsMatch(p));
        return encrypted;
    }

    /// <summary>Throws when a pattern cannot be read.</summary>
    public void Validate()
    {
        var count = new[] { UnencryptedSuffix, EncryptedSuffix, UnencryptedRegex, EncryptedRegex }.Count(r => !string.IsNullOrEmpty(r));
        if (count > 1) throw new SopsException("uses more than one of encrypted_suffix, unencrypted_suffix, encrypted_regex, unencrypted_regex");
        foreach (var pattern in new[] { UnencryptedRegex, EncryptedRegex }.Where(p => !string.IsNullOrEmpty(p))) _ = Regex(pattern!);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> s_cache = new(StringComparer.Ordinal);

    private static Regex Regex(string pattern)
    {
        if (s_cache.TryGetValue(pattern, out var cached)) return cached;
        try
        {
            var regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            if (s_cache.Count < 256) s_cache[pattern] = regex;
            return regex;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new SopsException($"has a regex that cannot be read: {e.Message}");
        }
    }
}
