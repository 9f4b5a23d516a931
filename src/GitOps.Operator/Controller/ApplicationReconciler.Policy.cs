using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Engine.Health;
using GitOps.Engine.Model;
using GitOps.Engine.Plan;
using GitOps.Engine.Policy;
using GitOps.Engine.Policy.Guardrails;
using GitOps.Engine.Policy.Projects;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Metrics;
using GitOps.Operator.Render;
using GitOps.Operator.Source;
using Microsoft.Extensions.Logging;

namespace GitOps.Operator.Controller;

/// <summary>The Project's bounds and guardrails as the reconcile meets them, and how fresh a resolution a changed spec needs.</summary>
public sealed partial class ApplicationReconciler
{
    private static string DestinationOf(ReconcileContext ctx) =>
        ctx.Spec.Destination.Namespace.Length > 0 ? ctx.Spec.Destination.Namespace : ctx.Namespace;

    /// <summary>Out of the Project's bounds or against a blocking guardrail: nothing is applied, and nothing it manages is pruned.</summary>
    private async Task<ReconcileResult> PolicyFailureAsync(ReconcileContext ctx, PolicyReport report, TimeSpan interval, CancellationToken ct)
    {
        ctx.Violations ??= report;
        var blocking = report.Blocking.ToList();
        var reason = blocking.All(v => GuardrailChecker.Names.Contains(v.Rule)) ? Reasons.GuardrailBlocked : Reasons.ProjectDenied;
        var at = ctx.Revision is null ? "" : $" at {Short(ctx.Revision)}";
        var message = $"{blocking.Count} violation(s){at}, nothing applied: {string.Join("; ", blocking.Take(10))}";
        ctx.Failure = (Reasons.PolicyViolation, reason, message);
        if (StatusBuilder.ViolationsChanged(ctx) || ctx.PreviousStatus["conditions"]?.ToJsonString().Contains(reason, StringComparison.Ordinal) != true)
            await events.WarningAsync(ctx.App, reason, message, ct);
        return ReconcileResult.After(Jitter(interval));
    }
}
