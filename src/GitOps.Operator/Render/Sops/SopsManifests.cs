using System.Text;
using System.Text.Json.Nodes;
using GitOps.Engine.Model;
using GitOps.Operator.Render;

namespace GitOps.Operator.Render.Sops;

/// <summary>
/// The decryption step of the render stage, on the rendered objects (after Kustomize builds):
/// <list type="bullet">
/// <item>an object with a <c>sops</c> block (a SOPS YAML/JSON file, as is or built by Kustomize);</item>
/// <item>a Secret Kustomize generated from an encrypted env file (its data holds the <c>sops_*</c> keys);</item>
/// <item>a Secret data value that is a whole SOPS document (a generator's <c>files:</c> entry).</item>
/// </list>
/// Values are decrypted in memory and the MAC is checked: on the object itself, else on the file in the
/// tree it was built from. A decrypted object whose secret values were all encrypted in Git carries
/// <see cref="Manifest.EncryptedInGit"/>. Any failure is a <see cref="RenderException"/> naming the file.
/// </summary>
public static class SopsManifests
{
    /// <param name="ownFile">The document is one file of the tree as it is (the directory renderer): its MAC is checked on that file.</param>
    public static IReadOnlyList<Manifest> Decrypt(IReadOnlyList<Manifest> manifests, RenderedDocument doc, RenderRequest request, bool ownFile)
    {
        // Nothing to do without a sops block, sops_* generator keys, or a Secret (a files: entry is base64).
        if (!doc.Text.Contains("sops", StringComparison.Ordinal) && !doc.Text.Contains("Secret", StringComparison.Ordinal)) return manifests;
        var result = new List<Manifest>(manifests.Count);
        foreach (var manifest in manifests)
        {
            var obj = manifest.ToJson();
            if (obj[SopsMetadata.Key] is JsonObject) result.Add(DecryptObject(manifest, obj, doc, request, ownFile));
            else if (manifest is { Group: "", Kind: "Secret" } && obj["data"] is JsonObject data && data.ContainsKey("sops_mac")) result.Add(DecryptGeneratedEnv(manifest, obj, data, doc, request));
            else if (manifest is { Group: "", Kind: "Secret" } && obj["data"] is JsonObject files && files.Any(f => EncodedDocument(f.Value) is not null)) result.Add(DecryptGeneratedFiles(manifest, obj, files, doc, request));
            else result.Add(manifest);
        }
        return result;
    }

    /// <summary>
    /// For <c>gitops render --check</c> (no keys): an object still in its SOPS form whose secret values
    /// are all encrypted counts as encrypted in Git; its values stay as they are.
    /// </summary>
    public static Manifest MarkIfEncrypted(Manifest manifest)
    {
        var obj = manifest.ToJson();
        if (obj[SopsMetadata.Key] is not JsonObject) return manifest;
        var values = new[] { "data", "stringData" }.Select(k => obj[k] as JsonObject).OfType<JsonObject>().SelectMany(o => o.Select(p => p.Value)).ToList();
        return values.All(v => v is JsonValue jv && jv.TryGetValue<string>(out var s) && (s.Length == 0 || SopsCipher.IsEncrypted(s))) ? manifest.AsEncryptedInGit() : manifest;
    }

    private static Manifest DecryptObject(Manifest manifest, JsonObject obj, RenderedDocument doc, RenderRequest request, bool ownFile)
    {
        var keys = Keys(request, doc, manifest);
        var block = (JsonObject)obj[SopsMetadata.Key]!;
        obj.Remove(SopsMetadata.Key);
        var shown = ownFile ? doc.SourceName : $"{doc.SourceName}: {manifest.Key}";
        try
        {
            var metadata = SopsMetadata.Parse(block);
            var (decrypted, matched) = SopsDocument.Decrypt([obj], metadata, keys);
            if (!matched) shown = VerifySource(metadata.Mac, doc, request, keys, ownFile, shown);
            var result = Manifest.From(decrypted.Branches[0]);
            return decrypted.PlainSecretData ? result : result.AsEncryptedInGit();
        }
        catch (SopsException e)
        {
            throw new RenderException(e.Message, shown);
        }
    }

    private static Manifest DecryptGeneratedEnv(Manifest manifest, JsonObject obj, JsonObject data, RenderedDocument doc, RenderRequest request)
    {
        var keys = Keys(request, doc, manifest);
        var shown = $"{doc.SourceName}: {manifest.Key}";
        try
        {
            // Kustomize keeps an env line's value as written; SOPS's dotenv reading turns "\n" into a newline.
            var pairs = data.Select(p => KeyValuePair.Create(p.Key, FromBase64(p.Value, p.Key).Replace("\\n", "\n", StringComparison.Ordinal))).ToList();
            var (branches, metadata) = SopsDocument.Split([SopsDotenv.FromPairs(pairs)]);
            var (decrypted, matched) = SopsDocument.Decrypt(branches, metadata, keys);
            // Kustomize sorts a generated Secret's keys: the env file it came from must match.
            if (!matched) shown = VerifySource(metadata.Mac, doc, request, keys, ownFile: false, shown);
            var plain = new JsonObject();
            foreach (var (key, value) in decrypted.Branches[0])
                plain[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? ""));
            obj["data"] = plain;
            var result = Manifest.From(obj);
            var anyPlain = decrypted.Branches[0].Any(p => !metadata.Rules.ShouldEncrypt([p.Key]));
            return anyPlain ? result : result.AsEncryptedInGit();
        }
        catch (SopsException e)
        {
            throw new RenderException(e.Message, shown);
        }
    }

    private static Manifest DecryptGeneratedFiles(Manifest manifest, JsonObject obj, JsonObject data, RenderedDocument doc, RenderRequest request)
    {
        var keys = Keys(request, doc, manifest);
        var plain = new JsonObject();
        foreach (var (name, value) in data)
        {
            if (EncodedDocument(value) is not { } text)
            {
                plain[name] = value?.DeepClone();
                continue;
            }
            try
            {
                // The value is the whole file: its MAC is checked exactly, and it stays in its format.
                var format = SopsSources.FormatOfContent(name, text);
                var decrypted = SopsDocument.Decrypt(text, format, keys);
                plain[name] = Convert.ToBase64String(Encoding.UTF8.GetBytes(SopsDocument.Emit(decrypted.Branches, format)));
            }
            catch (SopsException e)
            {
                throw new RenderException(e.Message, $"{doc.SourceName}: {manifest.Key} data {name}");
            }
        }
        obj["data"] = plain;
        return Manifest.From(obj).AsEncryptedInGit();
    }

    private static SopsKeyring Keys(RenderRequest request, RenderedDocument doc, Manifest manifest) =>
        request.Decryption ?? throw new RenderException($"{manifest.Key} is SOPS-encrypted; set spec.decryption (provider sops, secretRef naming a Secret with *.agekey entries) to decrypt it", doc.SourceName);

    /// <summary>The object's own MAC did not match: the file it came from must. Returns the file's name for messages.</summary>
    private static string VerifySource(string mac, RenderedDocument doc, RenderRequest request, SopsKeyring keys, bool ownFile, string shown)
    {
        var root = Path.GetFullPath(request.RepositoryRoot);
        var source = ownFile ? doc.SourceName : SopsSources.FindByMac(root, mac, request.Limits);
        if (source is null) throw new SopsException(SopsDocument.MacMismatch);
        try
        {
            SopsSources.Verify(root, source, keys);
        }
        catch (SopsException e)
        {
            throw new RenderException(e.Message, source);
        }
        catch (IOException)
        {
            throw new RenderException("cannot be read", source);
        }
        return source;
    }

    /// <summary>A Secret data value that decodes to a SOPS document (YAML, JSON or dotenv), or null.</summary>
    private static string? EncodedDocument(JsonNode? value)
    {
        if (value is not JsonValue v || !v.TryGetValue<string>(out var b64) || b64.Length < 64) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(b64));
            return SopsDocument.LooksEncrypted(text) && text.Contains("sops", StringComparison.Ordinal) ? text : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string FromBase64(JsonNode? value, string key)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String((string?)value ?? ""));
        }
        catch (FormatException)
        {
            throw new SopsException($"has a data value {key} that is not base64");
        }
    }
}
