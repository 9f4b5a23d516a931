using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Engine.Diff;
using GitOps.Engine.Model;

namespace GitOps.Engine.Drift;

/// <summary>The facts <see cref="DriftPolicy.Decide"/> needs about one desired/live pair.</summary>
/// <param name="Diff">The comparison of the predicted object with the live one.</param>
/// <param name="Live">The live object (for its hold annotations); null when it does not exist.</param>
/// <param name="Automated">The Application has <c>syncPolicy.automated</c>.</param>
/// <param name="SelfHeal"><c>automated.selfHeal</c>: undo changes made in the cluster.</param>
/// <param name="RevisionChanged">Git moved since the last sync (an automated sync rolls it out even without self-heal).</param>
/// <param name="ManualSync">A person asked for this sync (<c>gitops.dev/sync-requested-at</c>).</param>
/// <param name="Now">The time holds are measured against.</param>
public sealed record DriftInput(
    DiffResult Diff,
    JsonObject? Live,
    bool Automated,
    bool SelfHeal,
    bool RevisionChanged,
    bool ManualSync,
    DateTimeOffset Now)
{
    public override string ToString() =>
        $"diff={Diff} automated={Automated} selfHeal={SelfHeal} revisionChanged={RevisionChanged} manual={ManualSync} now={Now:O}";
}

/// <summary>
/// Decides per object whether a difference is healed, only reported, or held. Order:
/// 1. no difference → InSync;
/// 2. a live <c>gitops.dev/drift-hold</c> whose <c>gitops.dev/drift-hold-until</c> is absent or in the
///    future → Hold (a hold stops automated changes; a manual sync overrides it). An expired hold is ignored.
///    An unreadable until-time holds (the safe side) and says so;
/// 3. a manual sync → Heal;
/// 4. automated and (self-heal on, or Git moved) → Heal;
/// 5. otherwise → Report (OutOfSync).
/// </summary>
public static class DriftPolicy
{
    public const string HoldAnnotation = "gitops.dev/drift-hold";
    public const string HoldUntilAnnotation = "gitops.dev/drift-hold-until";

    public static DriftDecision Decide(DriftInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.Diff.Modified) return DriftDecision.InSync;
        var what = input.Diff.IsMissing ? "missing" : "modified";

        var hold = ActiveHold(input.Live, input.Now);
        if (hold is not null && !input.ManualSync) return hold;

        if (input.ManualSync) return DriftDecision.Heal($"{what}; sync requested");
        if (input.Automated && input.SelfHeal) return DriftDecision.Heal($"{what}; self-heal");
        if (input.Automated && input.RevisionChanged) return DriftDecision.Heal($"{what}; new revision");
        return DriftDecision.Report(input.Automated ? $"{what}; self-heal is off" : $"{what}; manual sync only");
    }

    /// <summary>The hold in force on a live object at <paramref name="now"/>, or null.</summary>
    public static DriftDecision? ActiveHold(JsonObject? live, DateTimeOffset now)
    {
        var annotations = Json.GetObject(live, "metadata", "annotations");
        var reason = Json.GetString(annotations, HoldAnnotation);
        if (reason is null) return null;
        var untilText = Json.GetString(annotations, HoldUntilAnnotation);
        if (untilText is null) return DriftDecision.Hold($"drift hold: {reason}", null);
        if (!DateTimeOffset.TryParse(untilText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var until))
        {
            return DriftDecision.Hold($"drift hold: {reason} (unreadable {HoldUntilAnnotation} '{untilText}', held until it is fixed)", null);
        }

        return until > now ? DriftDecision.Hold($"drift hold: {reason}", until.ToUniversalTime()) : null;
    }
}
