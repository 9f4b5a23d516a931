using GitOps.Engine.Model;

namespace GitOps.Engine.Policy.Guardrails;

/// <summary>No privileged container (root on the node).</summary>
public sealed class PrivilegedRule : IGuardrail
{
    public const string RuleName = "no-privileged";

    public string Name => RuleName;

    public IEnumerable<string> Check(Manifest manifest, GuardrailSettings settings)
    {
        var found = new List<string>();
        if (PodSpecs.Of(manifest) is not { } pod) return found;
        foreach (var (name, container) in PodSpecs.Containers(pod))
            if ((bool?)Json.GetObject(container, "securityContext")?["privileged"] == true)
                found.Add($"container \"{name}\" is privileged");
        return found;
    }
}
