namespace GitOps.Engine.Health.Rules;

/// <summary>
/// The registry that applies a list of <see cref="HealthCheckRule"/>s, and why some could not be used.
/// When <see cref="Errors"/> is not empty the rules are a configuration error: the registry then holds
/// only the rules that compiled, and a caller should refuse to go on rather than use it.
/// </summary>
public sealed record HealthRulesResult(HealthRegistry Registry, IReadOnlyList<string> Errors)
{
    public bool IsValid => Errors.Count == 0;

    public override string ToString() => IsValid ? "health rules: valid" : "health rules: " + string.Join("; ", Errors);
}
