using GitOps.Engine.Model;

namespace GitOps.Engine.Health.Rules;

/// <summary>
/// Turns user-defined health rules into a <see cref="HealthRegistry"/> whose checks evaluate them (see
/// <see cref="CelHealthCheck"/> for the evaluation order). Each expression is compiled once per text
/// and shared through a bounded cache; the rules themselves belong to the registry they were
/// compiled into, so two lists with different rules for one kind never see each other's.
/// </summary>
public static class HealthRules
{
    private static readonly LruCache<string, CelCompilation> s_compiled = new(capacity: 1024, CelProgram.Compile);

    public static HealthRulesResult Compile(IReadOnlyList<HealthCheckRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var registry = HealthRegistry.Default;
        var errors = new List<string>();
        var seen = new Dictionary<GroupKind, int>();
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var name = $"healthChecks[{i}] ({rule})";
            var ruleErrors = new List<string>();
            if (rule.ApiVersion.Length == 0) ruleErrors.Add($"{name}: apiVersion is required");
            if (rule.Kind.Length == 0) ruleErrors.Add($"{name}: kind is required");
            if (rule.Kind.Length > 0 && !seen.TryAdd(rule.GroupKind, i))
                ruleErrors.Add($"{name}: healthChecks[{seen[rule.GroupKind]}] already has a rule for {rule.GroupKind}");
            if (string.IsNullOrWhiteSpace(rule.Current)) ruleErrors.Add($"{name}: current is required");

            var current = CompileField(name, "current", rule.Current, ruleErrors);
            var inProgress = CompileField(name, "inProgress", rule.InProgress, ruleErrors);
            var failed = CompileField(name, "failed", rule.Failed, ruleErrors);
            if (ruleErrors.Count > 0 || current is null)
            {
                errors.AddRange(ruleErrors);
                continue;
            }
            registry = registry.WithOverride(rule.GroupKind, new CelHealthCheck(current, inProgress, failed).Assess);
        }
        return new HealthRulesResult(registry, errors);
    }

    private static CelProgram? CompileField(string ruleName, string field, string? expression, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(expression)) return null;
        var compiled = s_compiled.GetOrAdd(expression);
        if (compiled.Error is not null) errors.Add($"{ruleName}: {field}: {compiled.Error}");
        return compiled.Program;
    }
}
