using System.Text.Json.Nodes;
using static GitOps.Engine.Health.Kinds.HealthRead;

namespace GitOps.Engine.Health.Rules;

/// <summary>
/// The health check of one rule, as Flux's CEL status evaluator decides it: a status.observedGeneration
/// that differs from metadata.generation → Progressing without evaluating anything; then inProgress →
/// Progressing, failed → Degraded, current → Healthy, the first that is true wins; none true →
/// Progressing. An expression that cannot be evaluated on this object (a missing field, a type
/// mismatch) makes it Unknown with the reason.
/// </summary>
internal sealed class CelHealthCheck(CelProgram current, CelProgram? inProgress, CelProgram? failed)
{
    public HealthStatus Assess(JsonObject live)
    {
        if (IntOrNull(live, "status", "observedGeneration") is { } observed && IntOrNull(live, "metadata", "generation") is { } generation && observed != generation)
            return HealthStatus.Progressing("Waiting for the controller to observe the latest generation");

        var variables = CelValues.Variables(live);
        foreach (var (field, program, code) in new (string, CelProgram?, HealthCode)[]
                 {
                     ("inProgress", inProgress, HealthCode.Progressing),
                     ("failed", failed, HealthCode.Degraded),
                     ("current", current, HealthCode.Healthy),
                 })
        {
            if (program is null) continue;
            var outcome = program.Evaluate(variables);
            if (outcome.Error is not null) return new HealthStatus(HealthCode.Unknown, $"health check {field} ({program.Text}) cannot be evaluated: {outcome.Error}");
            if (outcome.Value) return new HealthStatus(code, $"{field}: {program.Text}");
        }
        return HealthStatus.Progressing($"no health check is true yet (current: {current.Text})");
    }
}
