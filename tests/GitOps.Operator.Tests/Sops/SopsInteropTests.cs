using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GitOps.Operator.Render.Sops;
using GitOps.Operator.Tests.Cli;

namespace GitOps.Operator.Tests.Sops;

/// <summary>
/// Interoperability, both ways, with independent JavaScript implementations: sops-age decrypts what
/// `gitops secret encrypt` writes; age-encryption (typage) decrypts our age files, encrypts files we
/// decrypt, and makes identities we read.
/// </summary>
public sealed class SopsInteropTests : IDisposable
{
    private readonly IndependentImplementations _js = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("gitops-sops-cli-").FullName;

    public void Dispose()
    {
        _js.Dispose();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    public static TheoryData<string, string, string, string, string> GitopsEncrypted_TestData() => new()
    {
        { "Kubernetes Secret (yaml)", "secret.yaml", "yaml",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  labels: {app: web}\ntype: Opaque\nstringData:\n  password: \"hunter2 \\\"quoted\\\" ünïcode\"\n  multi: |\n    line one\n    line two\n",
            """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","labels":{"app":"web"}},"type":"Opaque","stringData":{"password":"hunter2 \"quoted\" ünïcode","multi":"line one\nline two\n"}}""" },
        { "values with types (yaml)", "values.yaml", "yaml",
            "replicas: 3\nratio: 0.25\nenabled: true\nnothing: null\nlist: [a, 1, false]\nnested:\n  token: abc\n  port_unencrypted: 8080\n",
            """{"replicas":3,"ratio":0.25,"enabled":true,"nothing":null,"list":["a",1,false],"nested":{"token":"abc","port_unencrypted":8080}}""" },
        { "json", "config.json", "json",
            """{"user":"admin","count":-12,"big":1e3,"flags":[true,false],"deep":{"k":"v"}}""",
            """{"user":"admin","count":-12,"big":1000,"flags":[true,false],"deep":{"k":"v"}}""" },
        { "dotenv", "app.env", "env", "USER=admin\nPASSWORD=p=a=s=s\nEMPTY=\nNOTE_unencrypted=visible\n",
            """{"USER":"admin","PASSWORD":"p=a=s=s","EMPTY":"","NOTE_unencrypted":"visible"}""" },
    };

    [Theory]
    [MemberData(nameof(GitopsEncrypted_TestData))]
    public async Task SopsAge_FileGitopsEncrypted_DecryptsToThePlainValues(string caseName, string fileName, string fileType, string plain, string expectedJson)
    {
        var identity = AgeIdentity.Generate();
        var path = Path.Combine(_dir, fileName);
        await File.WriteAllTextAsync(path, plain);

        var run = await CliRun.RunAsync("secret", "encrypt", path, "--age", identity.Recipient.ToString());
        Assert.True(run.ExitCode == 0, $"{caseName}: {run}");
        var decrypted = await _js.SopsDecryptAsync(run.Out, fileType, identity.SecretText());

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expectedJson), decrypted), $"{caseName}: sops-age read {decrypted.ToJsonString()}");
        Assert.DoesNotContain("hunter2", run.Out, StringComparison.Ordinal);
        // And this implementation reads it back with the MAC checked.
        var ours = SopsDocument.Decrypt(run.Out, SopsDocument.FormatOf(fileName), SopsKeyring.Of([identity]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expectedJson), ours.Branches[0]), $"{caseName}: we read {ours.Branches[0].ToJsonString()}");
    }

    [Fact]
    public async Task SopsAge_SecretForTwoRecipients_EachIdentityDecrypts()
    {
        var (first, second) = (AgeIdentity.Generate(), AgeIdentity.Generate());
        var encrypted = SopsDocument.Encrypt("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {k: dg==}\n", SopsFormat.Yaml,
            [first.Recipient, second.Recipient], new SopsRules { EncryptedRegex = SopsRules.KubernetesEncryptedRegex }, DateTimeOffset.UtcNow);

        foreach (var identity in new[] { first, second })
            Assert.Equal("dg==", (string?)(await _js.SopsDecryptAsync(encrypted, "yaml", identity.SecretText()))["data"]?["k"]);
    }

    [Fact]
    public async Task AgeJs_FileWeEncrypted_Decrypts()
    {
        var identity = AgeIdentity.Generate();
        var plaintext = RandomNumberGenerator.GetBytes(70_000); // two STREAM chunks

        var armored = AgeFile.Armor(AgeFile.Encrypt(plaintext, [identity.Recipient]));

        Assert.Equal(plaintext, await _js.AgeDecryptAsync(armored, identity.SecretText()));
    }

    [Fact]
    public async Task AgeFile_FileAgeJsEncryptedForItsIdentity_Decrypts()
    {
        var (identityText, recipientText) = await _js.AgeKeygenAsync();
        var identity = AgeIdentity.Parse(identityText);
        var dataKey = RandomNumberGenerator.GetBytes(32);

        var armored = await _js.AgeEncryptAsync(identity.Recipient.ToString(), dataKey);

        Assert.Equal(recipientText, identity.Recipient.ToString());
        Assert.Equal(dataKey, AgeFile.Decrypt(AgeFile.Dearmor(armored), [identity]));
    }
}
