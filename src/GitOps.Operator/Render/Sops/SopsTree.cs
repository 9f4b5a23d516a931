using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace GitOps.Operator.Render.Sops;

/// <summary>What walking a document's values gave: the new tree, the MAC over it, and whether any value of a Secret's data stayed in plain text.</summary>
internal sealed record SopsWalk(IReadOnlyList<JsonObject> Branches, string Mac, bool PlainSecretData);

/// <summary>
/// The SOPS tree walk: every leaf in document order, keyed by its path of mapping keys (list items
/// add nothing to the path), encrypted or decrypted as the rules say; the MAC is SHA-512 over each
/// leaf's plaintext bytes in that order (all leaves, or only encrypted ones with mac_only_encrypted),
/// as uppercase hex. Nulls are neither encrypted nor hashed.
/// </summary>
internal static class SopsTree
{
    /// <summary>SHA-256("sops"): where a mac_only_encrypted MAC starts, so it never equals a full one.</summary>
    private static readonly byte[] MacOnlyEncryptedInitialization = Convert.FromHexString("8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69");

    public static SopsWalk Encrypt(IReadOnlyList<JsonObject> branches, byte[] dataKey, SopsRules rules) =>
        Walk(branches, rules, (value, path, encrypted) =>
        {
            var plain = (JsonValue)value.DeepClone();
            return (encrypted ? JsonValue.Create(SopsCipher.Encrypt(plain, dataKey, AdditionalData(path))) : plain, plain);
        });

    public static SopsWalk Decrypt(IReadOnlyList<JsonObject> branches, byte[] dataKey, SopsRules rules) =>
        Walk(branches, rules, (value, path, encrypted) =>
        {
            if (!encrypted) return ((JsonValue)value.DeepClone(), (JsonValue)value.DeepClone());
            if (!value.TryGetValue<string>(out var stored))
                throw new SopsException($"the value at {Shown(path)} should be encrypted but is not a string");
            JsonValue plain;
            try
            {
                plain = SopsCipher.Decrypt(stored, dataKey, AdditionalData(path));
            }
            catch (SopsException e)
            {
                throw new SopsException($"the value at {Shown(path)} {e.Message}");
            }
            return (plain, (JsonValue)plain.DeepClone());
        });

    public static string AdditionalData(IReadOnlyList<string> path) => string.Concat(path.Select(p => p + ":"));

    private static string Shown(IReadOnlyList<string> path) => path.Count == 0 ? "the top" : string.Join('.', path);

    private delegate (JsonValue Result, JsonValue Plain) Leaf(JsonValue value, IReadOnlyList<string> path, bool encrypted);

    private static SopsWalk Walk(IReadOnlyList<JsonObject> branches, SopsRules rules, Leaf leaf)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        if (rules.MacOnlyEncrypted) hash.AppendData(MacOnlyEncryptedInitialization);
        var plainSecretData = false;
        var path = new List<string>();

        JsonNode? Visit(JsonNode? node)
        {
            switch (node)
            {
                case null:
                    return null;
                case JsonObject obj:
                    var copy = new JsonObject();
                    foreach (var (key, child) in obj)
                    {
                        path.Add(key);
                        copy[key] = Visit(child);
                        path.RemoveAt(path.Count - 1);
                    }
                    return copy;
                case JsonArray array:
                    var items = new JsonArray();
                    foreach (var item in array) items.Add(Visit(item));
                    return items;
                case JsonValue value:
                    var encrypted = rules.ShouldEncrypt(path);
                    var (result, plain) = leaf(value, path, encrypted);
                    if (!rules.MacOnlyEncrypted || encrypted) hash.AppendData(SopsCipher.Plain(plain).Bytes);
                    if (!encrypted && path.Count > 0 && path[0] is "data" or "stringData" && !(plain.TryGetValue<string>(out var s) && s.Length == 0))
                        plainSecretData = true;
                    return result;
                default:
                    throw new SopsException("holds a node SOPS cannot walk");
            }
        }

        var walked = branches.Select(b => (JsonObject)Visit(b)!).ToList();
        return new SopsWalk(walked, Convert.ToHexString(hash.GetHashAndReset()), plainSecretData);
    }
}
