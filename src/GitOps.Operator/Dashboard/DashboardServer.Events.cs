using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace GitOps.Operator.Dashboard;

/// <summary>The dashboard's live stream (/ui/events): what it pushes and to whom.</summary>
public sealed partial class DashboardServer
{
    /// <summary>
    /// Server-Sent Events: each change of an Application the caller may read, as its new table row
    /// (or none when it was deleted), straight from the cache's watch; `?app=ns/name` follows one app.
    /// Every push is authorised again (cached reviews), so revoked rights stop the stream's updates.
    /// </summary>
    private async Task EventsAsync(HttpContext http)
    {
        if (await CallerAsync(http) is not { } c) return;
        var only = http.Request.Query["app"].ToString();
        var ct = http.RequestAborted;
        var changes = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        void OnChange(string ns, string name)
        {
            var key = $"{ns}/{name}";
            if (only.Length == 0 || only == key) changes.Writer.TryWrite(key);
        }
        source.Changed += OnChange;
        // The page rendered before this stream subscribed: a change in between (the sync it just asked for) would
        // never reach it. A stream that follows one app therefore starts with that app as it is now.
        if (only.Length > 0) changes.Writer.TryWrite(only);
        try
        {
            http.Response.Headers.ContentType = "text/event-stream; charset=utf-8";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            await http.Response.WriteAsync("retry: 2000\n: connected\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
            var pending = new HashSet<string>(StringComparer.Ordinal);
            while (!ct.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                idle.CancelAfter(options.KeepAlive);
                try
                {
                    await changes.Reader.WaitToReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                    continue;
                }
                await Task.Delay(options.PushWindow, ct);
                while (changes.Reader.TryRead(out var key)) pending.Add(key);
                if (await access.AuthenticateAsync(c.Token, ct) is null) return;
                var sb = new StringBuilder();
                foreach (var key in pending.Order(StringComparer.Ordinal))
                {
                    var slash = key.IndexOf('/', StringComparison.Ordinal);
                    var (ns, name) = (key[..slash], key[(slash + 1)..]);
                    var check = only.Length > 0 ? AccessCheck.GetApp(ns, name) : AccessCheck.ListApps(ns);
                    if (!await AllowedAsync(c, AccessCheck.ListApps(""), ct) && !await AllowedAsync(c, check, ct)) continue;
                    var obj = source.Get(ns, name);
                    var message = new JsonObject { ["key"] = key, ["row"] = obj is null ? null : Html.UnderBase(ListPage.Row(AppView.Of(obj)), _base) };
                    sb.Append("event: app\ndata: ").Append(message.ToJsonString()).Append("\n\n");
                }
                pending.Clear();
                if (sb.Length == 0) continue;
                await http.Response.WriteAsync(sb.ToString(), ct);
                await http.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            source.Changed -= OnChange;
        }
    }
}
