using System.Globalization;
using System.Text.Json.Nodes;

namespace GitOps.Operator.Hosting;

/// <summary>The leader-election fields of a coordination.k8s.io/v1 Lease's spec, as client-go's LeaseLock reads and writes them.</summary>
public sealed record LeaseRecord(string HolderIdentity, int LeaseDurationSeconds, DateTimeOffset? AcquireTime, DateTimeOffset? RenewTime, int LeaseTransitions)
{
    public static LeaseRecord FromSpec(JsonObject? spec) => new(
        (string?)spec?["holderIdentity"] ?? "",
        (int?)spec?["leaseDurationSeconds"] ?? 0,
        ParseMicroTime((string?)spec?["acquireTime"]),
        ParseMicroTime((string?)spec?["renewTime"]),
        (int?)spec?["leaseTransitions"] ?? 0);

    public JsonObject ToSpec() => new()
    {
        ["holderIdentity"] = HolderIdentity,
        ["leaseDurationSeconds"] = LeaseDurationSeconds,
        ["acquireTime"] = FormatMicroTime(AcquireTime),
        ["renewTime"] = FormatMicroTime(RenewTime),
        ["leaseTransitions"] = LeaseTransitions,
    };

    /// <summary>
    /// client-go's tryAcquireOrRenew, decided: the record to write, or null while another holder's lease runs.
    /// A lease runs for its duration from when this process last saw the record change (observedAt, its own
    /// clock), never from the renewTime another machine wrote, so clock skew between replicas does not matter.
    /// </summary>
    public static LeaseRecord? Next(LeaseRecord current, DateTimeOffset observedAt, string identity, TimeSpan leaseDuration, DateTimeOffset now)
    {
        var heldByMe = current.HolderIdentity == identity;
        var running = observedAt + TimeSpan.FromSeconds(current.LeaseDurationSeconds) > now;
        if (current.HolderIdentity.Length > 0 && !heldByMe && running) return null;
        return new LeaseRecord(identity, (int)leaseDuration.TotalSeconds,
            heldByMe ? current.AcquireTime ?? now : now, now,
            heldByMe ? current.LeaseTransitions : current.LeaseTransitions + 1);
    }

    /// <summary>metav1.MicroTime: RFC 3339 in UTC with microseconds.</summary>
    private static string? FormatMicroTime(DateTimeOffset? t) =>
        t?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseMicroTime(string? s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
