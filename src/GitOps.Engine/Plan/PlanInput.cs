using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Engine.Diff;
using GitOps.Engine.Drift;
using GitOps.Engine.Model;

namespace GitOps.Engine.Plan;

/// <summary>The Application a plan is for; it names the tracking id every managed object carries.</summary>
public sealed record AppIdentity(string Namespace, string Name)
{
    public const string TrackingIdAnnotation = "gitops.dev/tracking-id";

    /// <summary><c>&lt;app-ns&gt;/&lt;app-name&gt;:&lt;group&gt;/&lt;kind&gt;:&lt;ns&gt;/&lt;name&gt;</c>.</summary>
    public string TrackingId(ResourceKey key) => $"{Namespace}/{Name}:{key.Group}/{key.Kind}:{key.Namespace}/{key.Name}";

    /// <summary>The <c>&lt;app-ns&gt;/&lt;app-name&gt;</c> part of a tracking id, or null when it has none.</summary>
    public static string? AppOf(string trackingId)
    {
        var colon = trackingId.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? null : trackingId[..colon];
    }

    public override string ToString() => $"{Namespace}/{Name}";
}

/// <summary>What the plan needs to know about the live side of one key.</summary>
/// <param name="Exists">The object exists in the cluster.</param>
/// <param name="TrackingId">Its <c>gitops.dev/tracking-id</c> annotation.</param>
/// <param name="PruneAnnotation">Its <c>gitops.dev/prune</c> annotation.</param>
/// <param name="Diff">The comparison with the predicted object (desired keys only).</param>
/// <param name="Drift">The drift decision; computed from <paramref name="Diff"/> and the policy when null.</param>
/// <param name="Object">The live object itself, when at hand (prune tasks carry it; waves and holds are read from it).</param>
public sealed record LiveInfo(bool Exists, string? TrackingId, string? PruneAnnotation, DiffResult? Diff, DriftDecision? Drift, JsonObject? Object = null)
{
    public const string PruneAnnotationName = "gitops.dev/prune";

    public static LiveInfo Absent { get; } = new(false, null, null, null, null);

    /// <summary>Reads the annotations of a live object.</summary>
    public static LiveInfo Of(JsonObject live, DiffResult? diff = null, DriftDecision? drift = null)
    {
        ArgumentNullException.ThrowIfNull(live);
        var annotations = Json.GetObject(live, "metadata", "annotations");
        return new LiveInfo(true, Json.GetString(annotations, AppIdentity.TrackingIdAnnotation), Json.GetString(annotations, PruneAnnotationName), diff, drift, live);
    }

    public override string ToString() =>
        Exists ? $"exists tracking={TrackingId ?? "-"} prune={PruneAnnotation ?? "-"} diff={Diff?.ToString() ?? "-"} drift={Drift?.ToString() ?? "-"}" : "absent";
}

/// <summary>A limit on how much one automated sync may delete: a percentage of the previous inventory or a count.</summary>
public readonly record struct PruneLimit(decimal Value, bool IsPercent)
{
    public static PruneLimit Default { get; } = new(50, true);

    /// <summary>"50%" or "10"; throws <see cref="FormatException"/> otherwise.</summary>
    public static PruneLimit Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Default;
        var t = text.Trim();
        var percent = t.EndsWith('%');
        var number = percent ? t[..^1] : t;
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) || (percent && v > 100))
        {
            throw new FormatException($"pruneLimit '{text}' is neither a percentage such as \"50%\" nor a count such as \"10\"");
        }

        return new PruneLimit(v, percent);
    }

    /// <summary>Whether pruning <paramref name="count"/> of <paramref name="inventorySize"/> objects goes over the limit.</summary>
    public bool IsExceeded(int count, int inventorySize) =>
        IsPercent ? count * 100m > Value * inventorySize : count > Value;

    public override string ToString() => IsPercent ? $"{Value.ToString(CultureInfo.InvariantCulture)}%" : Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>An Application's sync policy as the plan sees it.</summary>
public sealed record SyncPolicy(
    bool Automated,
    bool Prune,
    bool SelfHeal,
    bool AllowEmpty,
    bool PruneLast,
    string? PruneLimit,
    bool ManualSyncRequested)
{
    /// <summary>Manual sync only, nothing requested.</summary>
    public static SyncPolicy Default { get; } = new(false, false, false, false, false, null, false);

    /// <summary>automated with prune and self-heal.</summary>
    public static SyncPolicy AutomatedFull { get; } = Default with { Automated = true, Prune = true, SelfHeal = true };

    public override string ToString() =>
        $"automated={Automated} prune={Prune} selfHeal={SelfHeal} allowEmpty={AllowEmpty} pruneLast={PruneLast} pruneLimit={PruneLimit ?? "50%"} manual={ManualSyncRequested}";
}

/// <summary>Everything <see cref="PlanBuilder.Build"/> reads. Keys missing from <see cref="Live"/> are treated as absent.</summary>
public sealed record PlanInput(
    AppIdentity App,
    IReadOnlyList<Manifest> Desired,
    IReadOnlyDictionary<ResourceKey, LiveInfo> Live,
    Inventory.Inventory PreviousInventory,
    SyncPolicy Policy,
    DateTimeOffset Now,
    bool RevisionChanged = false)
{
    /// <summary>How a wave's live objects are judged healthy before the next wave goes (the Application's health rules).</summary>
    public Health.HealthRegistry Health { get; init; } = Engine.Health.HealthRegistry.Default;

    public override string ToString() =>
        $"app={App} desired={Desired.Count} live={Live.Count} inventory={PreviousInventory.Count} policy=({Policy}) revisionChanged={RevisionChanged}";
}
