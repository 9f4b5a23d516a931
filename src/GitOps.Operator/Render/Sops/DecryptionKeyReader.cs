using System.Text.Json.Nodes;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Render;
using GitOps.Operator.Render.Sops;

namespace GitOps.Operator.Render.Sops;

/// <summary>
/// Reads the age identities of spec.decryption from its Secret in the Application's namespace, by a
/// GET at every reconcile (a changed or deleted Secret counts at once; nothing is cached). Anything
/// wrong with it is a <see cref="RenderException"/>: nothing is applied or pruned. Messages name the
/// Secret and its entries, never their content.
/// </summary>
public sealed class DecryptionKeyReader(IKubeApi api)
{
    /// <summary>The keyring, or null when the Application has no spec.decryption.</summary>
    public async Task<SopsKeyring?> ReadAsync(string appNamespace, DecryptionSpec? spec, CancellationToken ct)
    {
        if (spec is null) return null;
        if (!string.Equals(spec.Provider, DecryptionSpec.Sops, StringComparison.OrdinalIgnoreCase))
            throw new TerminalReconcileException(Status.Reasons.RenderError, Status.Reasons.InvalidSpec, $"spec.decryption.provider \"{spec.Provider}\" is not supported (only \"sops\")");
        var name = spec.SecretRef?.Name;
        if (string.IsNullOrEmpty(name)) throw new TerminalReconcileException(Status.Reasons.RenderError, Status.Reasons.InvalidSpec, "spec.decryption.secretRef.name is required (a Secret with *.agekey entries)");
        var shown = $"{appNamespace}/{name}";
        JsonObject? secret;
        try
        {
            secret = await api.GetAsync($"/api/v1/namespaces/{Uri.EscapeDataString(appNamespace)}/secrets/{Uri.EscapeDataString(name)}", ct);
        }
        catch (KubeApiException e) when (e.Code == 403)
        {
            throw new RenderException($"the decryption Secret {shown} cannot be read: the operator is forbidden to get it");
        }
        if (secret is null) throw new RenderException($"the decryption Secret {shown} named by spec.decryption.secretRef does not exist");
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (secret["data"] is JsonObject d)
            foreach (var (key, value) in d)
                if (value is JsonValue v && v.TryGetValue<string>(out var b64))
                {
                    try { data[key] = Convert.FromBase64String(b64); }
                    catch (FormatException) { throw new RenderException($"the entry {key} of the decryption Secret {shown} is not base64"); }
                }
        try
        {
            return SopsKeyring.FromSecretData(data, shown);
        }
        catch (SopsException e)
        {
            throw new RenderException(e.Message);
        }
    }
}
