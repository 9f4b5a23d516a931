using System.Text.Json.Nodes;
using GitOps.Engine.Model;

namespace GitOps.Engine.Plan;

/// <summary>
/// One step of a plan: an action on one object, why, and where it sorts. <see cref="Desired"/> is set
/// for applies (and skips/holds of desired objects); <see cref="Live"/> for prunes when known.
/// </summary>
public sealed record SyncTask(
    ResourceKey Key,
    SyncAction Action,
    string Reason,
    string Message,
    int Wave,
    SyncPhase Phase,
    Manifest? Desired,
    JsonObject? Live)
{
    /// <summary><c>Apply   Deployment/shop/web  (Sync, wave 0)  Modified: /spec/replicas</c>.</summary>
    public override string ToString()
    {
        var wave = Wave == Waves.PruneLastWave ? "last" : Wave.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var text = Message.Length == 0 ? Reason : $"{Reason}: {Message}";
        return $"{Action,-5} {Key} ({Phase}, wave {wave}) {text}";
    }
}
