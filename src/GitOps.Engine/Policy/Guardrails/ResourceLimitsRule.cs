using GitOps.Engine.Model;

namespace GitOps.Engine.Policy.Guardrails;

/// <summary>Every container of a workload sets CPU and memory limits.</summary>
public sealed class ResourceLimitsRule : IGuardrail
{
    public const string RuleName = "resource-limits";

    public string Name => RuleName;

    public IEnumerable<string> Check(Manifest manifest, GuardrailSettings settings)
    {
        var found = new List<string>();
        if (PodSpecs.Of(manifest) is not { } pod) return found;
        foreach (var (name, container) in PodSpecs.Containers(pod))
        {
            var limits = Json.GetObject(container, "resources", "limits");
            var missing = new[] { "cpu", "memory" }.Where(r => limits?[r] is null).ToList();
            if (missing.Count > 0) found.Add($"container \"{name}\" has no {string.Join(" or ", missing)} limit");
        }
        return found;
    }
}
