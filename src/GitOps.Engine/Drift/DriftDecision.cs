namespace GitOps.Engine.Drift;

/// <summary>What to do about one object's difference from Git.</summary>
public enum DriftAction
{
    /// <summary>No difference.</summary>
    InSync,

    /// <summary>Apply the desired object now.</summary>
    Heal,

    /// <summary>Show the difference (OutOfSync) but do not touch the object.</summary>
    Report,

    /// <summary>A person put a drift hold on the live object; leave it until the hold ends.</summary>
    Hold,
}

/// <summary>The decision for one object, with the reason shown to users; <see cref="HoldUntil"/> is set only for a timed hold.</summary>
public sealed record DriftDecision(DriftAction Action, string Reason, DateTimeOffset? HoldUntil = null)
{
    public static DriftDecision InSync { get; } = new(DriftAction.InSync, "Synced");

    public static DriftDecision Heal(string reason) => new(DriftAction.Heal, reason);

    public static DriftDecision Report(string reason) => new(DriftAction.Report, reason);

    public static DriftDecision Hold(string reason, DateTimeOffset? until) => new(DriftAction.Hold, reason, until);

    public override string ToString() =>
        HoldUntil is { } until ? $"{Action} until {until:yyyy-MM-ddTHH:mm:ssZ}: {Reason}" : $"{Action}: {Reason}";
}
