using GitOps.Engine.Model;

namespace GitOps.Engine.Policy.Guardrails;

/// <summary>
/// A Secret read from Git in plain text (its values are in the repository for anyone who can read it).
/// A Secret the operator decrypted from a SOPS document with all its values encrypted passes
/// (<see cref="Manifest.EncryptedInGit"/>, a mark Git cannot set).
/// </summary>
public sealed class PlainSecretRule : IGuardrail
{
    public const string RuleName = "no-plain-secrets";

    public string Name => RuleName;

    public IEnumerable<string> Check(Manifest manifest, GuardrailSettings settings)
    {
        var found = new List<string>();
        if (manifest is { Group: "", Kind: "Secret", EncryptedInGit: false })
            found.Add("a Secret in plain text in Git; encrypt it (SOPS) or create it outside Git");
        return found;
    }
}
