using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;

namespace GitOps.Operator.Notifications;

/// <summary>The last delivery of a Notification, as its status shows it (never a URL, header or Secret value).</summary>
public sealed record DeliveryRecord(NotificationEvent Event, string Result, int Code, string Message);

/// <summary>
/// Writes a Notification's status through the status subresource (a merge patch): observedGeneration,
/// the Ready condition (Accepted, Delivered, InvalidSpec, SecretError, DeliveryFailed) and lastDelivery.
/// </summary>
public sealed class NotificationStatusWriter(IKubeApi api, TimeProvider time)
{
    public const string Accepted = "Accepted";
    public const string Delivered = "Delivered";
    public const string InvalidSpec = "InvalidSpec";
    public const string SecretError = "SecretError";
    public const string DeliveryFailed = "DeliveryFailed";

    /// <summary>After a spec change: Ready=True Accepted, or Ready=False InvalidSpec; nothing when the status is of this generation already.</summary>
    public Task AcceptAsync(NotificationObject n, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(n);
        // The status of this generation is written (accepted, or since then a delivery's outcome): a status write's own watch event changes nothing.
        if ((long?)n.Object["status"]?["observedGeneration"] == n.Generation) return Task.CompletedTask;
        var wanted = n.SpecError is null ? Accepted : InvalidSpec;
        var message = n.SpecError ?? $"sends {string.Join(", ", n.Spec!.Events.Order().Select(NotificationEventNames.Of))} to a {n.Spec.Target.Type} target";
        return PatchAsync(n, n.SpecError is null, wanted, message, null, ct);
    }

    public Task DeliveredAsync(NotificationObject n, DeliveryRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        var ok = record.Result == Delivered;
        return PatchAsync(n, ok, record.Result, $"{record.Event}: {record.Message}", record, ct);
    }

    private async Task PatchAsync(NotificationObject n, bool ready, string reason, string message, DeliveryRecord? delivery, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var previous = ReadyOf(n.Object);
        var status = ready ? "True" : "False";
        var since = (string?)previous?["status"] == status && (string?)previous?["lastTransitionTime"] is { } t ? t : Stamp(now);
        var patch = new JsonObject
        {
            ["observedGeneration"] = n.Generation,
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready", ["status"] = status, ["reason"] = reason, ["message"] = message,
                ["lastTransitionTime"] = since, ["observedGeneration"] = n.Generation,
            }),
        };
        if (delivery is not null)
            patch["lastDelivery"] = new JsonObject
            {
                ["event"] = delivery.Event.Name,
                ["application"] = delivery.Event.AppName,
                ["revision"] = delivery.Event.Revision,
                ["result"] = delivery.Result,
                ["code"] = delivery.Code,
                ["message"] = delivery.Message,
                ["time"] = Stamp(now),
            };
        try
        {
            await api.SendAsync(HttpMethod.Patch, NotificationStore.NotificationsResource.ObjectPath(n.Namespace, n.Name) + "/status",
                new JsonObject { ["status"] = patch }.ToJsonString(), "application/merge-patch+json", ct);
        }
        catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
        {
            // Deleted meanwhile: nothing to say.
        }
    }

    private static JsonObject? ReadyOf(JsonObject obj) =>
        (obj["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Ready");

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
