using GitOps.Engine.Model;

namespace GitOps.Engine.Policy.Guardrails;

/// <summary>Runs the guardrails a <see cref="GuardrailSettings"/> turns on over the desired objects, before anything is applied.</summary>
public static class GuardrailChecker
{
    /// <summary>Every guardrail, by name.</summary>
    public static IReadOnlyList<IGuardrail> All { get; } =
    [
        new PlainSecretRule(), new RequiredLabelsRule(), new ResourceLimitsRule(), new ImageTagRule(),
        new PrivilegedRule(), new HostPathRule(), new HostNetworkRule(),
    ];

    public static IEnumerable<string> Names => All.Select(g => g.Name);

    public static PolicyReport Check(IReadOnlyList<Manifest> desired, GuardrailSettings settings)
    {
        var violations = new List<Violation>();
        foreach (var rule in All)
        {
            var action = settings.ActionOf(rule.Name);
            if (action == PolicyAction.Off) continue;
            foreach (var manifest in desired)
                foreach (var message in rule.Check(manifest, settings))
                    violations.Add(new Violation(manifest.Key, rule.Name, message, action));
        }
        return new PolicyReport([.. violations.OrderByDescending(v => v.Blocking).ThenBy(v => v.Key).ThenBy(v => v.Rule, StringComparer.Ordinal)]);
    }
}
