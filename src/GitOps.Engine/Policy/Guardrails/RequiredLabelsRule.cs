using GitOps.Engine.Model;

namespace GitOps.Engine.Policy.Guardrails;

/// <summary>Every object carries the labels the Project requires (an owner, a cost centre...).</summary>
public sealed class RequiredLabelsRule : IGuardrail
{
    public const string RuleName = "required-labels";

    public string Name => RuleName;

    public IEnumerable<string> Check(Manifest manifest, GuardrailSettings settings)
    {
        var found = new List<string>();
        var missing = settings.RequiredLabels.Where(l => !manifest.Labels.TryGetValue(l, out var v) || v.Length == 0).ToList();
        if (missing.Count > 0) found.Add($"missing label(s) {string.Join(", ", missing)}");
        return found;
    }
}
