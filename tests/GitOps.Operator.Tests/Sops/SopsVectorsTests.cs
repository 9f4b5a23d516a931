using System.Text;
using System.Text.Json.Nodes;
using GitOps.Operator.Render.Sops;

namespace GitOps.Operator.Tests.Sops;

/// <summary>Interoperability, decrypting: files other implementations made (SOPS's own tests, stock sops 3.9.0 via Flux's fixtures) read back here.</summary>
public sealed class SopsVectorsTests
{
    [Fact]
    public void Decrypt_SopsAesTestVector_Plaintext()
    {
        var value = SopsCipher.Decrypt(SopsVectors.AesValue, Encoding.ASCII.GetBytes(SopsVectors.AesKey), SopsVectors.AesAdditionalData);

        Assert.Equal(SopsVectors.AesPlaintext, value.GetValue<string>());
    }

    [Fact]
    public void Decrypt_SopsAesTestVectorOtherPath_Refused()
    {
        var e = Assert.Throws<SopsException>(() => SopsCipher.Decrypt(SopsVectors.AesValue, Encoding.ASCII.GetBytes(SopsVectors.AesKey), "baz:"));

        Assert.Contains("authentication failed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_GoAgeArmoredFile_Plaintext()
    {
        var plain = AgeFile.Decrypt(AgeFile.Dearmor(SopsVectors.SopsAgeEncrypted), [AgeIdentity.Parse(SopsVectors.SopsAgeIdentity)]);

        Assert.Equal(SopsVectors.SopsAgePlaintext, Encoding.UTF8.GetString(plain));
        Assert.Equal(SopsVectors.SopsAgeRecipient, AgeIdentity.Parse(SopsVectors.SopsAgeIdentity).Recipient.ToString());
    }

    [Fact]
    public void Decrypt_GoAgeFileOtherIdentity_NoMatch()
    {
        var e = Assert.Throws<AgeException>(() => AgeFile.Decrypt(AgeFile.Dearmor(SopsVectors.SopsAgeEncrypted), [AgeIdentity.Parse(SopsVectors.SopsAgeOtherIdentity)]));

        Assert.Contains("no identity matched", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, SopsFormat, string, string> StockSopsFile_TestData() => new()
    {
        { "yaml, encrypted_regex", SopsVectors.FluxYaml, SopsFormat.Yaml, "stringData.key", "value" },
        { "dotenv", SopsVectors.FluxDotenv, SopsFormat.Dotenv, "key", "value" },
        { "json", SopsVectors.FluxJson, SopsFormat.Json, "data", "value" },
    };

    [Theory]
    [MemberData(nameof(StockSopsFile_TestData))]
    public void Decrypt_StockSopsFile_ValuesAndMacVerified(string caseName, string file, SopsFormat format, string path, string expected)
    {
        var keys = SopsKeyring.Of(AgeIdentity.ParseFile(SopsVectors.FluxKeyFile));

        var decrypted = SopsDocument.Decrypt(file, format, keys);

        JsonNode? node = decrypted.Branches[0];
        foreach (var part in path.Split('.')) node = node?[part];
        Assert.True(expected == (string?)node, caseName);
        Assert.DoesNotContain("ENC[", decrypted.Branches[0].ToJsonString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, SopsFormat, string> Tampered_TestData() => new()
    {
        { "yaml: an unencrypted value changed", SopsVectors.FluxYaml.Replace("name: age\n", "name: agf\n", StringComparison.Ordinal), SopsFormat.Yaml, "MAC mismatch" },
        { "dotenv: an unencrypted key added", SopsVectors.FluxDotenv + "note_unencrypted=added\n", SopsFormat.Dotenv, "MAC mismatch" },
        { "json: an unencrypted key added", SopsVectors.FluxJson.Replace("{\n\t\"data\"", "{\n\t\"note_unencrypted\": \"x\",\n\t\"data\"", StringComparison.Ordinal), SopsFormat.Json, "MAC mismatch" },
        { "json: a value moved to another key", SopsVectors.FluxJson.Replace("\"data\": \"ENC", "\"datb\": \"ENC", StringComparison.Ordinal), SopsFormat.Json, "at datb could not be decrypted" },
        { "yaml: the MAC changed", SopsVectors.FluxYaml.Replace("mac: ENC[AES256_GCM,data:vmrF", "mac: ENC[AES256_GCM,data:vmrG", StringComparison.Ordinal), SopsFormat.Yaml, "MAC that cannot be decrypted" },
    };

    [Theory]
    [MemberData(nameof(Tampered_TestData))]
    public void Decrypt_StockSopsFileTampered_RefusedWithReason(string caseName, string file, SopsFormat format, string reason)
    {
        var keys = SopsKeyring.Of(AgeIdentity.ParseFile(SopsVectors.FluxKeyFile));

        var e = Assert.ThrowsAny<SopsException>(() => SopsDocument.Decrypt(file, format, keys));

        Assert.True(e.Message.Contains(reason, StringComparison.Ordinal), $"{caseName}: {e.Message}");
    }
}
