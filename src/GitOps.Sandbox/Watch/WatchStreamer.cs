using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace GitOps.Sandbox.Watch;

/// <summary>What one watch request asked for.</summary>
/// <param name="Present">How a stored object is written on the stream: as the resource serves it, or as a Table.</param>
public sealed record WatchRequest(
    ResourceType Type,
    string? Namespace,
    LabelSelector Labels,
    FieldSelector Fields,
    string? ResourceVersion,
    bool Bookmarks,
    bool SendInitialEvents,
    TimeSpan Timeout,
    Func<JsonObject, JsonObject> Present);

/// <summary>
/// Streams watch events as kube-apiserver does: newline-delimited {"type","object"} frames over a
/// chunked 200 response; synthetic ADDED events for the current state when no (or "0")
/// resourceVersion is given; replay after a given resourceVersion; ERROR with a 410 Expired
/// Status when that version was compacted; objects moving out of a selector seen as DELETED and
/// into it as ADDED; BOOKMARKs when asked for; the stream ends at timeoutSeconds.
/// </summary>
public sealed class WatchStreamer(ObjectStore store, TimeSpan bookmarkInterval)
{
    public async Task StreamAsync(HttpContext context, WatchRequest request, CancellationToken ct)
    {
        var type = request.Type;
        bool Interested(ObjectKey k) => k.Resource == type.GroupResource && (request.Namespace is null || k.Namespace == request.Namespace);

        ObjectStore.Subscription? subscription;
        List<JsonObject> initial = [];
        long startRevision;
        if (string.IsNullOrEmpty(request.ResourceVersion) || request.ResourceVersion == "0" || request.SendInitialEvents)
        {
            (subscription, initial, startRevision) = store.Transact(tx =>
            {
                var current = tx.Scan(type.GroupResource, request.Namespace).Where(Matches).Select(o => o.DeepClone().AsObject()).ToList();
                return (store.Subscribe(tx.Revision, Interested), current, tx.Revision);
            });
        }
        else
        {
            if (!long.TryParse(request.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out startRevision))
                throw StatusException.BadRequest($"invalid resource version: {request.ResourceVersion}");
            subscription = store.Subscribe(startRevision, Interested);
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-cache, private";
        await context.Response.StartAsync(ct);

        if (subscription is null)
        {
            var gone = StatusException.Gone($"too old resource version: {startRevision} ({store.Revision})").ToStatus();
            await WriteAsync(context, "ERROR", gone, ct);
            return;
        }

        using var _ = subscription;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var deadline = DateTime.UtcNow + request.Timeout;
        timeout.CancelAfter(request.Timeout);
        var lastRevision = startRevision;
        try
        {
            // Writes use the request's token: cancelling a Kestrel write aborts the connection, and a
            // watch that reaches timeoutSeconds must end cleanly instead.
            foreach (var obj in initial) await WriteAsync(context, "ADDED", request.Present(obj), ct);
            if (request.SendInitialEvents)
            {
                var end = Bookmark(type, startRevision);
                ObjectMeta.Meta(end)["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
                await WriteAsync(context, "BOOKMARK", end, ct);
            }
            await context.Response.Body.FlushAsync(ct);
            var reader = subscription.Events;
            var nextBookmark = NextBookmark(DateTime.UtcNow);
            // One pending wait at a time: the subscription's channel has a single reader.
            Task<bool>? wait = null;
            while (!timeout.IsCancellationRequested)
            {
                wait ??= reader.WaitToReadAsync(timeout.Token).AsTask();
                var due = nextBookmark - DateTime.UtcNow;
                var tick = request.Bookmarks ? Task.Delay(due > TimeSpan.Zero ? due : TimeSpan.Zero, timeout.Token) : Task.Delay(Timeout.Infinite, timeout.Token);
                var done = await Task.WhenAny(wait, tick);
                if (timeout.IsCancellationRequested) break;
                if (done == tick)
                {
                    if (tick.IsCompletedSuccessfully) await WriteAsync(context, "BOOKMARK", Bookmark(type, lastRevision), ct);
                    await context.Response.Body.FlushAsync(ct);
                    nextBookmark = NextBookmark(DateTime.UtcNow);
                    continue;
                }
                var more = await wait;
                wait = null;
                if (!more) break;
                while (reader.TryRead(out var e))
                {
                    lastRevision = e.ResourceVersion;
                    var (eventType, obj) = Translate(request, e);
                    if (eventType is not null) await WriteAsync(context, eventType, request.Present(obj!), ct);
                }
                await context.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // timeoutSeconds reached: the stream simply ends, as the apiserver's does.
        }
        catch (OperationCanceledException)
        {
        }

        bool Matches(JsonObject o) => request.Labels.Matches(o) && request.Fields.Matches(o);

        // As the apiserver's watch cache does: a bookmark every interval, and one 2s before the
        // watch's deadline, so a client resuming after timeoutSeconds has a recent resourceVersion.
        DateTime NextBookmark(DateTime now)
        {
            var periodic = now + bookmarkInterval;
            var beforeDeadline = deadline - TimeSpan.FromSeconds(2);
            return beforeDeadline > now && beforeDeadline < periodic ? beforeDeadline : periodic;
        }
    }

    private static (string? Type, JsonObject? Object) Translate(WatchRequest request, StoreEvent e)
    {
        bool Matches(JsonObject? o) => o is not null && request.Labels.Matches(o) && request.Fields.Matches(o);
        var now = Matches(e.Object);
        var before = Matches(e.Previous);
        return e.Type switch
        {
            StoreEventType.Added => now ? ("ADDED", e.Object) : (null, null),
            StoreEventType.Deleted => before ? ("DELETED", e.Object) : (null, null),
            _ when now && before => ("MODIFIED", e.Object),
            _ when now => ("ADDED", e.Object),
            _ when before => ("DELETED", WithRevision(e.Previous!, e.ResourceVersion)),
            _ => (null, null),
        };
    }

    private static JsonObject WithRevision(JsonObject obj, long rv)
    {
        var copy = obj.DeepClone().AsObject();
        ObjectMeta.Meta(copy)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        return copy;
    }

    private static JsonObject Bookmark(ResourceType type, long rv) => new()
    {
        ["kind"] = type.Kind,
        ["apiVersion"] = type.ApiVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture), ["creationTimestamp"] = null },
    };

    private static async Task WriteAsync(HttpContext context, string type, JsonObject obj, CancellationToken ct)
    {
        var frame = JsonOutput.Write(new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }) + "\n";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(frame), ct);
    }
}
