using System.CommandLine;
using System.Globalization;
using GitOps.Operator.Render.Sops;

namespace GitOps.Operator.Cli;

/// <summary>
/// `gitops secret keygen|encrypt|decrypt`: make an age identity, encrypt a file with SOPS to age
/// recipients (a file stock <c>sops</c> decrypts), and decrypt one to check it, all in process.
/// </summary>
public static class SecretCommand
{
    public static Command Build()
    {
        var command = new Command("secret", "Secrets in Git with SOPS and age: make a key, encrypt a file to commit, decrypt one to check it");
        command.Subcommands.Add(Keygen());
        command.Subcommands.Add(Encrypt());
        command.Subcommands.Add(Decrypt());
        return command;
    }

    private static Command Keygen()
    {
        var output = new Option<string?>("--output", "-o") { Description = "write the identity to this file (created with mode 0600, never overwritten) instead of stdout" };
        var command = new Command("keygen", "Make an age identity (X25519), printed as age-keygen prints it; the public key goes to stderr") { output };
        command.SetAction(async (result, ct) =>
        {
            var cli = CliOutput.Of(result);
            var identity = AgeIdentity.Generate();
            var text = $"# created: {DateTimeOffset.Now.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}\n# public key: {identity.Recipient}\n{identity.SecretText()}\n";
            var file = result.GetValue(output);
            try
            {
                if (file is null) await cli.Out.WriteAsync(text);
                else await WriteNewAsync(file, text, ct);
            }
            catch (IOException e)
            {
                await cli.Error.WriteLineAsync($"gitops secret keygen: {e.Message}");
                return 1;
            }
            await cli.Error.WriteLineAsync($"Public key: {identity.Recipient}");
            return 0;
        });
        return command;
    }

    private static Command Encrypt()
    {
        var file = new Argument<string>("FILE") { Description = "the plain file: YAML (a Kubernetes Secret, Helm values), JSON, or dotenv (.env)" };
        var age = new Option<string>("--age") { Description = "age recipients (age1…), comma-separated", Required = true };
        var encryptedRegex = new Option<string?>("--encrypted-regex") { Description = $"encrypt only values under keys matching this regex (default for a Kubernetes object: {SopsRules.KubernetesEncryptedRegex})" };
        var unencryptedRegex = new Option<string?>("--unencrypted-regex") { Description = "leave values under keys matching this regex unencrypted" };
        var encryptedSuffix = new Option<string?>("--encrypted-suffix") { Description = "encrypt only values under keys ending with this suffix" };
        var unencryptedSuffix = new Option<string?>("--unencrypted-suffix") { Description = $"leave values under keys ending with this suffix unencrypted (default for other files: {SopsRules.DefaultUnencryptedSuffix})" };
        var inputType = new Option<string?>("--input-type") { Description = "yaml, json or dotenv (default: from the file name)" };
        var inPlace = new Option<bool>("--in-place", "-i") { Description = "replace FILE with the encrypted file" };
        var output = new Option<string?>("--output", "-o") { Description = "write the encrypted file here instead of stdout" };
        var command = new Command("encrypt", "Encrypt FILE with SOPS (AES-256-GCM values, a MAC, the data key encrypted to each age recipient); stock sops decrypts the result")
        {
            file, age, encryptedRegex, unencryptedRegex, encryptedSuffix, unencryptedSuffix, inputType, inPlace, output,
        };
        command.SetAction(async (result, ct) =>
        {
            var cli = CliOutput.Of(result);
            try
            {
                var path = result.GetValue(file)!;
                var recipients = result.GetValue(age)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(AgeRecipient.Parse).ToList();
                if (recipients.Count == 0) throw new CliException("--age names no recipient");
                var format = FormatOf(path, result.GetValue(inputType));
                var text = await File.ReadAllTextAsync(path, ct);
                var rules = new SopsRules
                {
                    EncryptedRegex = result.GetValue(encryptedRegex),
                    UnencryptedRegex = result.GetValue(unencryptedRegex),
                    EncryptedSuffix = result.GetValue(encryptedSuffix),
                    UnencryptedSuffix = result.GetValue(unencryptedSuffix),
                };
                if (rules is { EncryptedRegex: null, UnencryptedRegex: null, EncryptedSuffix: null, UnencryptedSuffix: null })
                    rules = IsKubernetesObject(text, format) ? new SopsRules { EncryptedRegex = SopsRules.KubernetesEncryptedRegex } : SopsRules.Default;
                var encrypted = SopsDocument.Encrypt(text, format, recipients, rules, DateTimeOffset.UtcNow);
                await WriteResultAsync(cli, path, result.GetValue(inPlace), result.GetValue(output), encrypted, ct);
                return 0;
            }
            catch (Exception e) when (e is CliException or SopsException or AgeException or IOException or UnauthorizedAccessException)
            {
                await cli.Error.WriteLineAsync($"gitops secret encrypt: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static Command Decrypt()
    {
        var file = new Argument<string>("FILE") { Description = "a SOPS-encrypted file (YAML, JSON or dotenv)" };
        var identity = new Option<string>("--identity") { Description = "an age key file (as gitops secret keygen writes it)", Required = true };
        var inputType = new Option<string?>("--input-type") { Description = "yaml, json or dotenv (default: from the file)" };
        var command = new Command("decrypt", "Decrypt a SOPS file with an age identity and check its MAC; prints the plain file (mind where it goes)") { file, identity, inputType };
        command.SetAction(async (result, ct) =>
        {
            var cli = CliOutput.Of(result);
            try
            {
                var path = result.GetValue(file)!;
                var keys = SopsKeyring.Of(AgeIdentity.ParseFile(await File.ReadAllTextAsync(result.GetValue(identity)!, ct)));
                if (keys.Identities.Count == 0) throw new CliException("the identity file holds no age identity");
                var text = await File.ReadAllTextAsync(path, ct);
                var format = result.GetValue(inputType) is { } t ? FormatOf(path, t) : SopsSources.FormatOfContent(path, text);
                var decrypted = SopsDocument.Decrypt(text, format, keys);
                await cli.Out.WriteAsync(SopsDocument.Emit(decrypted.Branches, format));
                return 0;
            }
            catch (Exception e) when (e is CliException or SopsException or AgeException or IOException or UnauthorizedAccessException)
            {
                await cli.Error.WriteLineAsync($"gitops secret decrypt: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static SopsFormat FormatOf(string path, string? inputType) => inputType?.ToLowerInvariant() switch
    {
        null => SopsDocument.FormatOf(path),
        "yaml" or "yml" => SopsFormat.Yaml,
        "json" => SopsFormat.Json,
        "dotenv" or "env" => SopsFormat.Dotenv,
        _ => throw new CliException($"--input-type {inputType}: expected yaml, json or dotenv"),
    };

    private static bool IsKubernetesObject(string text, SopsFormat format)
    {
        if (format == SopsFormat.Dotenv) return false;
        try
        {
            return SopsDocument.Load(text, format).All(b => b.ContainsKey("apiVersion") && b.ContainsKey("kind"));
        }
        catch (SopsException)
        {
            return false;
        }
    }

    private static async Task WriteResultAsync(CliOutput cli, string path, bool inPlace, string? output, string text, CancellationToken ct)
    {
        if (inPlace && output is not null) throw new CliException("--in-place and --output exclude each other");
        if (inPlace)
        {
            var temp = path + ".gitops-" + Guid.NewGuid().ToString("N")[..8];
            await File.WriteAllTextAsync(temp, text, ct);
            File.Move(temp, path, overwrite: true);
        }
        else if (output is not null) await File.WriteAllTextAsync(output, text, ct);
        else await cli.Out.WriteAsync(text);
    }

    private static async Task WriteNewAsync(string file, string text, CancellationToken ct)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var stream = new FileStream(file, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(text.AsMemory(), ct);
    }
}
