using System.Text;
using GitOps.Operator.Source;

namespace GitOps.Operator.Tests.Source;

public sealed class SourceModelTests
{
    public static TheoryData<string, string, string> Redact_TestData() => new()
    {
        { "user and password", "fetch https://bob:hunter2@git.example.com/org/repo.git failed", "fetch https://git.example.com/org/repo.git failed" },
        { "token as user", "https://ghp_abc123@github.com/o/r", "https://github.com/o/r" },
        { "two urls", "http://a:b@h1/x and ssh://git@h2/y", "http://h1/x and ssh://h2/y" },
        { "no userinfo", "https://git.example.com/org/repo.git", "https://git.example.com/org/repo.git" },
        { "scp-like left alone", "git@github.com:org/repo.git", "git@github.com:org/repo.git" },
        { "email left alone", "author bob@example.com", "author bob@example.com" },
    };

    [Theory]
    [MemberData(nameof(Redact_TestData))]
    public void Redact_Text_StripsUserInfo(string caseName, string text, string expected)
    {
        Assert.True(expected == UrlRedactor.Redact(text), caseName);
    }

    [Fact]
    public void Redact_WithCredentials_ReplacesSecretValues()
    {
        var credentials = RepoCredentials.Basic("bob", "hunter2") with { BearerToken = "tok123" };
        var header = Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:hunter2"));

        var redacted = UrlRedactor.Redact($"bad password hunter2, token tok123, header {header}", credentials);

        Assert.Equal("bad password ***, token ***, header ***", redacted);
    }

    [Fact]
    public void FromSecretData_AllKeys_ReadsThemAndToStringHidesSecrets()
    {
        var data = new Dictionary<string, byte[]>
        {
            ["username"] = "bob"u8.ToArray(),
            ["password"] = "hunter2"u8.ToArray(),
            ["bearerToken"] = "tok123"u8.ToArray(),
            ["sshPrivateKey"] = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"u8.ToArray(),
            ["knownHosts"] = "github.com ssh-ed25519 AAAAC3Nza\n"u8.ToArray(),
            ["unrelated"] = "x"u8.ToArray(),
        };

        var credentials = RepoCredentials.FromSecretData(data);

        Assert.Equal("bob", credentials.Username);
        Assert.Equal("hunter2", credentials.Password);
        Assert.Equal("tok123", credentials.BearerToken);
        Assert.StartsWith("-----BEGIN OPENSSH", credentials.SshPrivateKey, StringComparison.Ordinal);
        Assert.Equal("github.com ssh-ed25519 AAAAC3Nza\n", credentials.KnownHosts);
        var text = credentials.ToString();
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tok123", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AAAA", text, StringComparison.Ordinal);
        Assert.Contains("bob", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", new SourceSpec("https://h/r.git", "main", credentials).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromSecretData_EmptyValues_CountAsAbsent()
    {
        var credentials = RepoCredentials.FromSecretData(new Dictionary<string, byte[]> { ["password"] = [] });

        Assert.Null(credentials.Password);
        Assert.Equal("RepoCredentials { anonymous }", credentials.ToString());
    }

    public static TheoryData<string, string, string> Normalize_TestData() => new()
    {
        { "trailing .git", "https://Git.Example.com/org/repo.git", "https://git.example.com/org/repo" },
        { "trailing slash", "https://git.example.com/org/repo/", "https://git.example.com/org/repo" },
        { "userinfo dropped", "https://u:p@git.example.com/org/repo", "https://git.example.com/org/repo" },
        { "default port dropped", "https://git.example.com:443/org/repo", "https://git.example.com/org/repo" },
        { "other port kept", "http://127.0.0.1:8080/org/repo.git", "http://127.0.0.1:8080/org/repo" },
        { "ssh url", "ssh://git@Git.Example.com:22/org/repo.git", "ssh://git.example.com/org/repo" },
        { "scp-like equals ssh url", "git@git.example.com:org/repo.git", "ssh://git.example.com/org/repo" },
    };

    [Theory]
    [MemberData(nameof(Normalize_TestData))]
    public void Parse_Url_NormalizesForTheCacheKey(string caseName, string url, string expected)
    {
        Assert.True(expected == RepoUrl.Parse(url).Normalized, $"{caseName}: {RepoUrl.Parse(url).Normalized}");
    }

    [Fact]
    public void Parse_UnsupportedUrl_ThrowsInvalidSpec()
    {
        var e = Assert.Throws<SourceException>(() => RepoUrl.Parse("ftp://u:secret@host/repo"));

        Assert.Equal(SourceFailureReason.InvalidSpec, e.Reason);
        Assert.DoesNotContain("secret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseAdvertisement_V0_ReadsRefsPeeledTagsAndHeadTarget()
    {
        const string a = "1111111111111111111111111111111111111111";
        const string b = "2222222222222222222222222222222222222222";
        var body = Pkt("# service=git-upload-pack\n") + "0000"
            + Pkt($"{a} HEAD\0multi_ack symref=HEAD:refs/heads/main agent=git/2.39\n")
            + Pkt($"{a} refs/heads/main\n") + Pkt($"{b} refs/tags/v1\n") + Pkt($"{a} refs/tags/v1^{{}}\n") + "0000";

        var refs = SmartHttpRefs.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Equal("refs/heads/main", refs.HeadTarget);
        Assert.Equal(a, refs.Resolve("HEAD"));
        Assert.Equal(a, refs.Resolve("v1"));
        Assert.Equal(a, refs.Resolve("main"));
        Assert.Null(refs.Resolve("nope"));
    }

    private static string Pkt(string line) => (line.Length + 4).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + line;
}
