namespace GitOps.Engine.Policy.Guardrails;

/// <summary>
/// Which guardrails run and what a violation does (a Project's <c>spec.guardrails</c>). By default only
/// <see cref="PlainSecretRule"/> runs, and blocks: a Secret in plain text in Git is refused.
/// </summary>
public sealed record GuardrailSettings(IReadOnlyDictionary<string, PolicyAction> Rules, IReadOnlyList<string> RequiredLabels)
{
    public static GuardrailSettings Default { get; } = new(new Dictionary<string, PolicyAction> { [PlainSecretRule.RuleName] = PolicyAction.Block }, []);

    public PolicyAction ActionOf(string rule) => Rules.TryGetValue(rule, out var action) ? action : PolicyAction.Off;
}
