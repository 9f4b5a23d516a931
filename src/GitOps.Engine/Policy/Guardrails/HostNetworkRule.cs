using GitOps.Engine.Model;

namespace GitOps.Engine.Policy.Guardrails;

/// <summary>No pod in the node's network namespace.</summary>
public sealed class HostNetworkRule : IGuardrail
{
    public const string RuleName = "no-host-network";

    public string Name => RuleName;

    public IEnumerable<string> Check(Manifest manifest, GuardrailSettings settings)
    {
        var found = new List<string>();
        if (PodSpecs.Of(manifest) is { } pod && (bool?)pod["hostNetwork"] == true)
            found.Add("uses the node's network (hostNetwork: true)");
        return found;
    }
}
