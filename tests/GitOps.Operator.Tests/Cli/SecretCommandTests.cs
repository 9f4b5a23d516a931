namespace GitOps.Operator.Tests.Cli;

/// <summary>`gitops secret`: the README's path on the command line, keygen → encrypt in place → decrypt.</summary>
public sealed class SecretCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gitops-secret-cli-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    [Fact]
    public async Task SecretCommands_KeygenEncryptInPlaceDecrypt_RoundTrip()
    {
        var key = Path.Combine(_dir, "team.agekey");
        var keygen = await CliRun.RunAsync("secret", "keygen", "-o", key);
        Assert.True(keygen.ExitCode == 0, keygen.ToString());
        var recipient = keygen.Err.Trim().Replace("Public key: ", "", StringComparison.Ordinal);
        Assert.StartsWith("age1", recipient, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Equal(1, (await CliRun.RunAsync("secret", "keygen", "-o", key)).ExitCode); // never overwritten

        var secret = Path.Combine(_dir, "db.yaml");
        await File.WriteAllTextAsync(secret, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n");
        var encrypt = await CliRun.RunAsync("secret", "encrypt", secret, "--age", recipient, "-i");
        Assert.True(encrypt.ExitCode == 0, encrypt.ToString());
        var encrypted = await File.ReadAllTextAsync(secret);
        Assert.DoesNotContain("hunter2", encrypted, StringComparison.Ordinal);
        Assert.Contains("name: db", encrypted, StringComparison.Ordinal);
        Assert.Contains("encrypted_regex: \"^(data|stringData)$\"", encrypted, StringComparison.Ordinal);

        var decrypt = await CliRun.RunAsync("secret", "decrypt", secret, "--identity", key);
        Assert.True(decrypt.ExitCode == 0, decrypt.ToString());
        Assert.Contains("password: hunter2", decrypt.Out, StringComparison.Ordinal);

        var again = await CliRun.RunAsync("secret", "encrypt", secret, "--age", recipient);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already has sops metadata", again.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Encrypt_BadRecipient_OneLineNoOutput()
    {
        var file = Path.Combine(_dir, "v.yaml");
        await File.WriteAllTextAsync(file, "a: b\n");

        var run = await CliRun.RunAsync("secret", "encrypt", file, "--age", "age1notarecipient");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains("is not an age recipient", run.Err, StringComparison.Ordinal);
    }
}
