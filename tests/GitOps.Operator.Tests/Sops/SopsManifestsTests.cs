using System.Text;
using System.Text.Json.Nodes;
using GitOps.Engine.Model;
using GitOps.Operator.Applications;
using GitOps.Operator.Render;
using GitOps.Operator.Render.Sops;

namespace GitOps.Operator.Tests.Sops;

/// <summary>The decryption step on rendered objects: what gets decrypted, what gets the EncryptedInGit mark, what is refused.</summary>
public sealed class SopsManifestsTests
{
    private static readonly AgeIdentity Identity = AgeIdentity.Generate();
    private static readonly SopsKeyring Keys = SopsKeyring.Of([Identity]);

    private static RenderRequest Request(SopsKeyring? keys) =>
        new("/nonexistent", ".", new SourceSpecModel(), "ns", RenderLimits.Default) { Decryption = keys };

    private static IReadOnlyList<Manifest> Run(string yaml, SopsKeyring? keys = null) =>
        SopsManifests.Decrypt(ManifestReader.Read(yaml, "app/x.yaml"), new RenderedDocument("app/x.yaml", yaml), Request(keys ?? Keys), ownFile: false);

    private static string Encrypt(string yaml, SopsRules rules) => SopsDocument.Encrypt(yaml, SopsFormat.Yaml, [Identity.Recipient], rules, DateTimeOffset.UtcNow);

    private const string PlainSecret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: hunter2\n  user_unencrypted: admin\n";

    public static TheoryData<string, SopsRules, bool> Mark_TestData() => new()
    {
        { "data and stringData encrypted", new SopsRules { EncryptedRegex = SopsRules.KubernetesEncryptedRegex }, false },
        { "a stringData value left unencrypted (suffix)", SopsRules.Default, true },
        { "stringData not encrypted at all", new SopsRules { EncryptedRegex = "^nothing$" }, true },
    };

    [Theory]
    [MemberData(nameof(Mark_TestData))]
    public void Decrypt_SopsSecret_MarkedOnlyWhenEveryValueWasEncrypted(string caseName, SopsRules rules, bool plainLeft)
    {
        var yaml = rules.EncryptedRegex == SopsRules.KubernetesEncryptedRegex ? PlainSecret.Replace("user_unencrypted", "user", StringComparison.Ordinal) : PlainSecret;

        var manifest = Assert.Single(Run(Encrypt(yaml, rules)));

        Assert.True(manifest.EncryptedInGit == !plainLeft, caseName);
        Assert.Equal("hunter2", (string?)manifest.ToJson()["stringData"]?["password"]);
        Assert.Null(manifest.ToJson()["sops"]);
    }

    [Fact]
    public void Decrypt_GeneratedFilesEntry_DocumentDecryptedInItsFormat()
    {
        var inner = Encrypt("user: admin\npassword: hunter2\n", SopsRules.Default);
        var secret = $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: gen\ndata:\n  config.yaml: {Convert.ToBase64String(Encoding.UTF8.GetBytes(inner))}\n  plain: dg==\n";

        var manifest = Assert.Single(Run(secret));

        var config = Encoding.UTF8.GetString(Convert.FromBase64String((string)manifest.ToJson()["data"]!["config.yaml"]!));
        Assert.Contains("password: hunter2", config, StringComparison.Ordinal);
        Assert.DoesNotContain("sops", config, StringComparison.Ordinal);
        Assert.Equal("dg==", (string?)manifest.ToJson()["data"]?["plain"]);
    }

    public static TheoryData<string, Func<string>, SopsKeyring?, string> Refused_TestData() => new()
    {
        { "no keys", () => Encrypt(PlainSecret, SopsRules.Default), null, "is SOPS-encrypted; set spec.decryption" },
        { "other keys", () => Encrypt(PlainSecret, SopsRules.Default), SopsKeyring.Of([AgeIdentity.Generate()]), "cannot be decrypted with the keys given" },
        { "tampered, no source file to check", () => Encrypt(PlainSecret, SopsRules.Default).Replace("admin", "admim", StringComparison.Ordinal), null, "MAC mismatch" },
    };

    [Theory]
    [MemberData(nameof(Refused_TestData))]
    public void Decrypt_Refused_RenderErrorNamingFileNoValue(string caseName, Func<string> file, SopsKeyring? keys, string reason)
    {
        var text = file();
        var request = Request(caseName == "no keys" ? null : keys ?? Keys);

        var e = Assert.Throws<RenderException>(() => SopsManifests.Decrypt(ManifestReader.Read(text, "app/x.yaml"), new RenderedDocument("app/x.yaml", text), request, ownFile: false));

        Assert.True(e.Describe().Contains(reason, StringComparison.Ordinal), $"{caseName}: {e.Describe()}");
        Assert.StartsWith("app/x.yaml", e.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void MarkIfEncrypted_SopsObjectWithoutKeys_MarkedValuesUntouched()
    {
        var encrypted = Assert.Single(ManifestReader.Read(Encrypt(PlainSecret.Replace("user_unencrypted", "user", StringComparison.Ordinal), new SopsRules { EncryptedRegex = SopsRules.KubernetesEncryptedRegex }), "x.yaml"));
        var plain = Assert.Single(ManifestReader.Read(PlainSecret, "x.yaml"));

        Assert.True(SopsManifests.MarkIfEncrypted(encrypted).EncryptedInGit);
        Assert.False(SopsManifests.MarkIfEncrypted(plain).EncryptedInGit);
        Assert.StartsWith("ENC[", (string?)SopsManifests.MarkIfEncrypted(encrypted).ToJson()["stringData"]?["password"], StringComparison.Ordinal);
    }
}
