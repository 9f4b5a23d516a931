using System.Text;
using System.Text.Json.Nodes;
using GitOps.Operator.Render.Sops;

namespace GitOps.Operator.Tests.Sops;

/// <summary>The pieces SOPS compatibility rests on: which values are encrypted, how values turn into MAC bytes, how YAML scalars resolve, Bech32.</summary>
public sealed class SopsFormatTests
{
    public static TheoryData<string, SopsRules, string[], bool> ShouldEncrypt_TestData() => new()
    {
        { "default: everything", SopsRules.Default, ["data", "password"], true },
        { "default: _unencrypted suffix anywhere on the path", SopsRules.Default, ["config_unencrypted", "port"], false },
        { "encrypted_regex matches a key on the path", new SopsRules { EncryptedRegex = SopsRules.KubernetesEncryptedRegex }, ["stringData", "password"], true },
        { "encrypted_regex: metadata stays plain", new SopsRules { EncryptedRegex = SopsRules.KubernetesEncryptedRegex }, ["metadata", "name"], false },
        { "encrypted_regex is anchored only as written", new SopsRules { EncryptedRegex = "pass" }, ["db", "password"], true },
        { "unencrypted_regex", new SopsRules { UnencryptedRegex = "^public" }, ["public_key"], false },
        { "encrypted_suffix", new SopsRules { EncryptedSuffix = "_secret" }, ["api_secret"], true },
        { "encrypted_suffix: others plain", new SopsRules { EncryptedSuffix = "_secret" }, ["api_url"], false },
    };

    [Theory]
    [MemberData(nameof(ShouldEncrypt_TestData))]
    public void ShouldEncrypt_Path_AsSopsDecides(string caseName, SopsRules rules, string[] path, bool expected) =>
        Assert.True(expected == rules.ShouldEncrypt(path), caseName);

    public static TheoryData<string, JsonValue, string, string> Plain_TestData() => new()
    {
        { "string", JsonValue.Create("héllo"), "héllo", "str" },
        { "int", JsonValue.Create(-42L), "-42", "int" },
        { "bool as Python wrote it", JsonValue.Create(true), "True", "bool" },
        { "float without trailing zeros", JsonValue.Create(2.50), "2.5", "float" },
        { "whole float", JsonValue.Create(1.0), "1", "float" },
        { "large float never in exponent form", JsonValue.Create(1e21), "1000000000000000000000", "float" },
        { "small float never in exponent form", JsonValue.Create(1.5e-7), "0.00000015", "float" },
    };

    [Theory]
    [MemberData(nameof(Plain_TestData))]
    public void Plain_Value_BytesAndTypeAsSops(string caseName, JsonValue value, string bytes, string type)
    {
        var (b, t) = SopsCipher.Plain(value);

        Assert.True((bytes, type) == (Encoding.UTF8.GetString(b), t), $"{caseName}: {Encoding.UTF8.GetString(b)} {t}");
    }

    public static TheoryData<string, string, string> Resolve_TestData() => new()
    {
        { "null word", "~", "null" },
        { "YAML 1.2 bool", "True", "true" },
        { "YAML 1.1 bool word stays a string", "yes", "\"yes\"" },
        { "hex int", "0x1F", "31" },
        { "octal int", "0o17", "15" },
        { "underscores", "1_000", "1000" },
        { "float", "1.5e3", "1500" },
        { "not octal: a float", "08", "8" },
        { "timestamp stays a string", "2024-01-02", "\"2024-01-02\"" },
        { "version string", "1.2.3", "\"1.2.3\"" },
    };

    [Theory]
    [MemberData(nameof(Resolve_TestData))]
    public void Resolve_PlainScalar_AsGoYamlV3(string caseName, string scalar, string expectedJson)
    {
        var node = SopsYaml.Resolve(scalar);

        Assert.True(expectedJson == (node?.ToJsonString() ?? "null"), $"{caseName}: {node?.ToJsonString()}");
    }

    [Fact]
    public void Bech32_RoundTrip_AgeKeysInTheirCase()
    {
        var identity = AgeIdentity.Generate();

        var secret = identity.SecretText();
        var parsed = AgeIdentity.Parse(secret);

        Assert.StartsWith("AGE-SECRET-KEY-1", secret, StringComparison.Ordinal);
        Assert.Equal(secret.ToUpperInvariant(), secret);
        Assert.Equal(identity.Recipient.ToString(), parsed.Recipient.ToString());
        Assert.Equal(identity.Recipient.ToString(), AgeRecipient.Parse(identity.Recipient.ToString()).ToString());
        Assert.Throws<AgeException>(() => AgeRecipient.Parse(identity.Recipient.ToString()[..^1] + (identity.Recipient.ToString()[^1] == 'q' ? 'p' : 'q')));
    }

    [Fact]
    public void AgeIdentity_Shown_NeverTheSecret()
    {
        var identity = AgeIdentity.Generate();

        Assert.DoesNotContain(identity.SecretText(), identity.ToString(), StringComparison.Ordinal);
        var e = Assert.Throws<AgeException>(() => AgeIdentity.Parse(identity.SecretText()[..^2]));
        Assert.DoesNotContain(identity.SecretText()[16..40], e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> KeySecret_TestData() => new()
    {
        { "no *.agekey entry", "", "holds no age identity" },
        { "not an identity", "AGE-SECRET-KEY-1NOTAKEY", "entry age.agekey of the decryption Secret ns/keys cannot be read" },
        { "a post-quantum identity", "AGE-SECRET-KEY-PQ-1ABC", "only X25519 age identities" },
    };

    [Theory]
    [MemberData(nameof(KeySecret_TestData))]
    public void FromSecretData_BadSecret_NamesTheEntryNotItsContent(string caseName, string content, string expected)
    {
        var data = content.Length == 0 ? new Dictionary<string, byte[]> { ["other"] = [1] } : new Dictionary<string, byte[]> { ["age.agekey"] = Encoding.UTF8.GetBytes(content) };

        var e = Assert.Throws<SopsException>(() => SopsKeyring.FromSecretData(data, "ns/keys"));

        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{caseName}: {e.Message}");
        if (content.Length > 0) Assert.DoesNotContain(content, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Digest_SameKeysAnyOrder_SameDigestOtherKeysOther()
    {
        var (a, b) = (AgeIdentity.Generate(), AgeIdentity.Generate());

        Assert.Equal(SopsKeyring.Of([a, b]).Digest, SopsKeyring.Of([b, a]).Digest);
        Assert.NotEqual(SopsKeyring.Of([a]).Digest, SopsKeyring.Of([b]).Digest);
        Assert.DoesNotContain(a.SecretText(), SopsKeyring.Of([a]).Digest, StringComparison.OrdinalIgnoreCase);
    }
}
