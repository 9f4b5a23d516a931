using System.Text;
using GitOps.Operator.Source;
using GitOps.Operator.Webhooks;
using GitOps.Testing.Fuzz;
using Microsoft.AspNetCore.Http;

namespace GitOps.Operator.Tests.Fuzz;

/// <summary>
/// Parsers of what arrives from outside, on mutated input (corpus: tests/fuzz/corpus/*): push
/// webhook bodies, Git ref advertisements and repository URLs either parse or fail with their own
/// clear exception, never anything else. Bounded here; tests/fuzz/README.md says how to run it long.
/// </summary>
public sealed class ParserFuzzTests
{
    public static TheoryData<string, WebhookProvider, string> Webhook_TestData() => new()
    {
        { "GitHub", WebhookProvider.GitHub, "X-GitHub-Event" },
        { "GitLab", WebhookProvider.GitLab, "X-Gitlab-Event" },
        { "Bitbucket", WebhookProvider.Bitbucket, "X-Event-Key" },
        { "Gitea", WebhookProvider.Gitea, "X-Gitea-Event" },
        { "generic", WebhookProvider.Generic, "X-Unused" },
    };

    [Theory]
    [MemberData(nameof(Webhook_TestData))]
    public void Parse_MutatedWebhookBodies_OnlyWebhookFormatExceptions(string caseName, WebhookProvider provider, string eventHeader)
    {
        var headers = new HeaderDictionary { [eventHeader] = provider == WebhookProvider.GitLab ? "Push Hook" : provider == WebhookProvider.Bitbucket ? "repo:push" : "push" };

        var failures = Mutator.Run(Mutator.Corpus("webhooks"), FuzzSettings.Iterations(300), FuzzSettings.Seed(7),
            body => WebhookParsers.Parse(provider, headers, "application/json", Encoding.UTF8.GetBytes(body)),
            e => e is WebhookFormatException);

        Assert.True(failures.Count == 0, $"{caseName}:\n{string.Join("\n\n", failures)}");
    }

    [Fact]
    public void Parse_MutatedRefAdvertisements_OnlySourceExceptions()
    {
        var failures = Mutator.Run(Mutator.Corpus("refs"), FuzzSettings.Iterations(3000), FuzzSettings.Seed(11),
            text => SmartHttpRefs.Parse(Encoding.Latin1.GetBytes(text)), e => e is SourceException);

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public void Parse_MutatedRepositoryUrls_OnlySourceExceptions()
    {
        var failures = Mutator.Run(Mutator.Corpus("urls"), FuzzSettings.Iterations(1000), FuzzSettings.Seed(13),
            url =>
            {
                var parsed = GitOps.Operator.Source.RepoUrl.Parse(url);
                _ = parsed.CacheKey;
                _ = GitOps.Operator.Source.RepoUrl.Comparable(url);
            },
            e => e is SourceException);

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    public static TheoryData<string, Func<object>, Type, string> Found_TestData() => new()
    {
        { "pkt-line length beyond the body", () => SmartHttpRefs.Parse("00ffshort"u8), typeof(SourceException), "ref advertisement is malformed at byte 0" },
        { "pkt-line length not hex", () => SmartHttpRefs.Parse("zz01"u8), typeof(SourceException), "ref advertisement is malformed" },
        { "NUL in a file URL", () => GitOps.Operator.Source.RepoUrl.Parse("file:///srv/gi%00t/config.git"), typeof(SourceException), "not a usable path" },
        { "control character in a URL", () => GitOps.Operator.Source.RepoUrl.Parse("https://git.example.com/a\u0001b.git"), typeof(SourceException), "cannot hold control characters" },
        { "webhook field of another type", () => WebhookParsers.Parse(WebhookProvider.Bitbucket, new HeaderDictionary { ["X-Event-Key"] = "repo:push" }, "application/json",
            Encoding.UTF8.GetBytes("""{"repository":{"links":"x"},"push":{"changes":[]}}""")), typeof(WebhookFormatException), "does not have the Bitbucket shape" },
        { "webhook body with a duplicate key", () => WebhookParsers.Parse(WebhookProvider.Generic, new HeaderDictionary(), "application/json",
            Encoding.UTF8.GetBytes("""{"ref":"a","ref":"b"}""")), typeof(WebhookFormatException), "duplicate key" },
    };

    /// <summary>What the fuzzer found, kept as cases.</summary>
    [Theory]
    [MemberData(nameof(Found_TestData))]
    public void Parse_InputTheFuzzerFound_ClearError(string caseName, Func<object> parse, Type expected, string message)
    {
        var e = Record.Exception(parse);

        Assert.True(e?.GetType() == expected && e.Message.Contains(message, StringComparison.Ordinal), $"{caseName}: {e}");
    }
}
