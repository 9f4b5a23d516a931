using System.Text.Json.Nodes;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Sops;

/// <summary>
/// Runs the JavaScript SOPS and age implementations (npm sops-age and age-encryption, pinned and
/// installed into .tools/node by scripts/install-tools.sh) with node, to check this implementation
/// against code it shares nothing with.
/// </summary>
internal sealed class IndependentImplementations : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gitops-sops-interop-").FullName;
    private readonly string _script;

    public IndependentImplementations()
    {
        var sopsAge = Path.Combine(ToolPaths.NodePackage("sops-age"), "dist", "index.js");
        var age = Path.Combine(ToolPaths.NodePackage("age-encryption"), "dist", "index.js");
        _script = Path.Combine(_dir, "interop.mjs");
        System.IO.File.WriteAllText(_script, $$"""
            import { readFileSync } from "node:fs";
            import { decryptSops } from "{{sopsAge}}";
            import * as age from "{{age}}";
            const [mode, ...args] = process.argv.slice(2);
            if (mode === "sops-decrypt") {
              const out = await decryptSops(readFileSync(args[0], "utf8"), { fileType: args[1], secretKey: readFileSync(args[2], "utf8").trim() });
              process.stdout.write(JSON.stringify(out));
            } else if (mode === "age-decrypt") {
              const d = new age.Decrypter();
              d.addIdentity(readFileSync(args[1], "utf8").trim());
              const plain = await d.decrypt(age.armor.decode(readFileSync(args[0], "utf8")));
              process.stdout.write(Buffer.from(plain).toString("base64"));
            } else if (mode === "age-encrypt") {
              const e = new age.Encrypter();
              e.addRecipient(args[0]);
              process.stdout.write(age.armor.encode(await e.encrypt(Buffer.from(args[1], "base64"))));
            } else if (mode === "age-keygen") {
              const identity = await age.generateIdentity();
              process.stdout.write(JSON.stringify({ identity, recipient: await age.identityToRecipient(identity) }));
            } else {
              throw new Error("unknown mode " + mode);
            }
            """);
    }

    /// <summary>sops-age's decryption of a SOPS file (JSON of the plain document).</summary>
    public async Task<JsonObject> SopsDecryptAsync(string encrypted, string fileType, string identity) =>
        (JsonObject)JsonNode.Parse(await RunAsync("sops-decrypt", Temp(encrypted), fileType, Temp(identity)))!;

    public async Task<byte[]> AgeDecryptAsync(string armored, string identity) =>
        Convert.FromBase64String(await RunAsync("age-decrypt", Temp(armored), Temp(identity)));

    public Task<string> AgeEncryptAsync(string recipient, byte[] plaintext) => RunAsync("age-encrypt", recipient, Convert.ToBase64String(plaintext));

    public async Task<(string Identity, string Recipient)> AgeKeygenAsync()
    {
        var pair = JsonNode.Parse(await RunAsync("age-keygen"))!;
        return ((string)pair["identity"]!, (string)pair["recipient"]!);
    }

    private string Temp(string content)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private async Task<string> RunAsync(params string[] args)
    {
        var result = await ProcessRunner.RunAsync("node", [_script, .. args], timeout: TimeSpan.FromSeconds(60));
        if (result.ExitCode != 0) throw new InvalidOperationException($"node {args[0]} failed: {result}");
        return result.StdOut;
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
