using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Preview;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace GitOps.Operator.Dashboard;

/// <summary>
/// The web dashboard: the Applications page at /, everything else under /ui. Reads Applications from
/// a watch-fed cache (<see cref="IApplicationSource"/>), pushes their changes by Server-Sent Events,
/// authorises every read and action by Kubernetes (<see cref="IDashboardAccess"/>), and acts as the
/// CLI does (<see cref="DashboardActions"/>).
/// </summary>
/// <param name="api">Reads what the page shows besides Applications (live objects, Events) and makes the writes: the operator's own client (writing with the visitor's own token), or the kubeconfig user's.</param>
/// <param name="pipeline">The operator's stages (source, render, compare) for diffs.</param>
/// <param name="loopbackOnly">`gitops dashboard`: answer only requests addressed to a loopback name (no DNS rebinding).</param>
public sealed partial class DashboardServer(IApplicationSource source, IDashboardAccess access, IKubeApi api, ApiDiscovery discovery, IServiceProvider pipeline,
    DashboardOptions options, ILogger logger, bool loopbackOnly = false)
{
    public const string TokenCookie = "gitops_token";
    private const string CsrfField = "_csrf";
    private readonly byte[] _csrfKey = RandomNumberGenerator.GetBytes(32);
    private readonly AppDetails _details = new(api, discovery, options);
    private readonly string _base = options.PathBase;
    private readonly LoginLimiter _logins = new(options, TimeProvider.System);
    private readonly DashboardActions _actions = new(api, discovery, withTheirToken: access.UsesTokens);

    /// <summary>The operator's dashboard: tokens checked by TokenReview, rights by SubjectAccessReview, made with the operator's client.</summary>
    public static DashboardServer ForOperator(IApplicationSource source, IKubeApi api, ApiDiscovery discovery, IServiceProvider pipeline, DashboardOptions options, ILogger logger) =>
        new(source, new TokenReviewAccess(api, options, TimeProvider.System), api, discovery, pipeline, options, logger);

    /// <summary>`gitops dashboard`: the kubeconfig's user, asked with SelfSubjectAccessReviews; only on loopback names.</summary>
    public static DashboardServer ForKubeconfigUser(IApplicationSource source, IKubeApi api, IServiceProvider pipeline, DashboardOptions options, ILogger logger) =>
        new(source, new KubeconfigAccess(api, options, TimeProvider.System), api, new ApiDiscovery(api), pipeline, options, logger, loopbackOnly: true);

    internal static IApplicationSource SourceOf(Controller.ApplicationController controller) => new ControllerApplicationSource(controller);

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (http, next) =>
        {
            var path = DashboardPath(http.Request.Path.Value ?? "");
            if (path is not null && (path == "/" || path.StartsWith("/ui/", StringComparison.Ordinal)))
            {
                var h = http.Response.Headers;
                h["Content-Security-Policy"] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
                h["X-Frame-Options"] = "DENY";
                h["X-Content-Type-Options"] = "nosniff";
                h["Referrer-Policy"] = "same-origin"; // not no-referrer: with it browsers send "Origin: null" on same-site form posts
                h["Cache-Control"] = "no-store";
                if (loopbackOnly && !IsLoopbackHost(http.Request.Host.Host))
                {
                    http.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
                    await http.Response.WriteAsync("the local dashboard answers only at localhost or 127.0.0.1\n");
                    return;
                }
                if (HttpMethods.IsPost(http.Request.Method) && !SameOrigin(http))
                {
                    http.Response.StatusCode = StatusCodes.Status403Forbidden;
                    await http.Response.WriteAsync("cross-origin request refused\n");
                    return;
                }
            }
            await next(http);
        });
        IEndpointRouteBuilder routes = _base.Length == 0 ? app : app.MapGroup(_base);
        routes.MapGet("/ui/static/dashboard.css", () => Results.Text(Assets.Css, "text/css; charset=utf-8"));
        routes.MapGet("/ui/static/dashboard.js", () => Results.Text(Assets.Js, "text/javascript; charset=utf-8"));
        routes.MapGet("/", (Func<HttpContext, Task<IResult>>)ListAsync);
        routes.MapGet("/ui/login", (HttpContext http) => Page(http, 200, "Sign in", "login", null, null, SimplePages.Login(null, options.Anonymous)));
        routes.MapPost("/ui/login", (Func<HttpContext, Task<IResult>>)LoginAsync);
        routes.MapPost("/ui/logout", (Func<HttpContext, Task<IResult>>)LogoutAsync);
        routes.MapGet("/ui/events", EventsAsync);
        routes.MapGet("/ui/apps/{ns}/{name}", AppAsync);
        routes.MapGet("/ui/apps/{ns}/{name}/diff", DiffAsync);
        routes.MapGet("/ui/apps/{ns}/{name}/confirm/{action}", ConfirmAsync);
        routes.MapPost("/ui/apps/{ns}/{name}/{action}", ActAsync);
    }

    /// <summary>The path inside the dashboard ("/", "/ui/…"), or null when the request is not under the path base.</summary>
    private string? DashboardPath(string path)
    {
        if (_base.Length == 0) return path;
        if (path == _base) return "/";
        return path.StartsWith(_base + "/", StringComparison.Ordinal) ? path[_base.Length..] : null;
    }

    private static bool IsLoopbackHost(string host) =>
        host is "localhost" or "127.0.0.1" or "[::1]" or "::1" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>A POST whose Origin (when the browser sends one) names this host: no cross-site form posts ("null", an opaque origin, is refused too).</summary>
    private static bool SameOrigin(HttpContext http)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0) return true;
        return Uri.TryCreate(origin, UriKind.Absolute, out var o) && string.Equals(o.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    // ---- who is asking -----------------------------------------------------------------------

    private string CookiePath => _base.Length == 0 ? "/" : _base;

    private static string? TokenOf(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7) return header[7..].Trim();
        return http.Request.Cookies.TryGetValue(TokenCookie, out var cookie) && cookie.Length > 0 ? cookie : null;
    }

    private sealed record Caller(Viewer Viewer, string? Token);

    /// <summary>The caller, or null after answering with the sign-in page (401) or an error.</summary>
    private async Task<Caller?> CallerAsync(HttpContext http)
    {
        var token = access.UsesTokens ? TokenOf(http) : null;
        Viewer? viewer;
        try
        {
            viewer = await access.AuthenticateAsync(token, http.RequestAborted);
        }
        catch (KubeApiException e)
        {
            logger.LogWarning("dashboard: cannot review a token: {Error}", e.Message);
            await Page(http, 503, "Unavailable", "error", null, null, SimplePages.Error("The cluster cannot check your token now", e.Message)).ExecuteAsync(http);
            return null;
        }
        if (viewer is null)
        {
            await Page(http, 401, "Sign in", "login", null, null,
                SimplePages.Login(token is null ? null : "The cluster did not accept that token (it may have expired). Create a new one and sign in again.", options.Anonymous)).ExecuteAsync(http);
            return null;
        }
        return new Caller(viewer, token);
    }

    private Task<bool> AllowedAsync(Caller c, AccessCheck check, CancellationToken ct) => access.AllowedAsync(c.Viewer, check, ct);

    /// <summary>The CSRF token of a caller: an HMAC keyed by their bearer token (the same on every replica), else by this process's key.</summary>
    private string CsrfOf(Caller c) =>
        Convert.ToBase64String(HMACSHA256.HashData(c.Token is null ? _csrfKey : Encoding.UTF8.GetBytes(c.Token), Encoding.UTF8.GetBytes("gitops-dashboard-csrf|" + c.Viewer.Key)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private bool CsrfValid(Caller c, IFormCollection form) =>
        form.TryGetValue(CsrfField, out var given) &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given.ToString()), Encoding.UTF8.GetBytes(CsrfOf(c)));

    private IResult Page(HttpContext http, int status, string title, string page, Caller? c, string? dataApp, string main) =>
        Results.Content(Html.Layout(title, page, c?.Viewer, c is null ? null : CsrfOf(c), main, dataApp, access.UsesTokens, _base), "text/html; charset=utf-8", Encoding.UTF8, status);

    // ---- pages --------------------------------------------------------------------------------

    /// <summary>The Applications the caller may list, each namespace asked once (cluster-wide first).</summary>
    private async Task<List<AppView>> VisibleAppsAsync(Caller c, CancellationToken ct)
    {
        var all = source.List();
        var everywhere = await AllowedAsync(c, AccessCheck.ListApps(""), ct);
        var allowed = new Dictionary<string, bool>(StringComparer.Ordinal);
        var apps = new List<AppView>(all.Count);
        foreach (var obj in all)
        {
            var ns = (string?)obj["metadata"]?["namespace"] ?? "";
            if (!everywhere)
            {
                if (!allowed.TryGetValue(ns, out var ok)) allowed[ns] = ok = await AllowedAsync(c, AccessCheck.ListApps(ns), ct);
                if (!ok) continue;
            }
            apps.Add(AppView.Of(obj));
        }
        apps.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return apps;
    }

    private async Task<IResult> ListAsync(HttpContext http)
    {
        if (await CallerAsync(http) is not { } c) return Results.Empty;
        var q = http.Request.Query;
        var filter = new ListFilter(q["namespace"].ToString(), q["project"].ToString(), q["status"].ToString(), q["q"].ToString().Trim());
        var apps = await VisibleAppsAsync(c, http.RequestAborted);
        return Page(http, 200, "Applications", "list", c, null, ListPage.Render(apps, filter, source.HasSynced));
    }

    /// <summary>The Application if it exists and the caller may get it; otherwise answers 404 (not telling which).</summary>
    private async Task<AppView?> ReadableAppAsync(HttpContext http, Caller c, string ns, string name)
    {
        var obj = source.Get(ns, name);
        if (obj is not null && await AllowedAsync(c, AccessCheck.GetApp(ns, name), http.RequestAborted)) return AppView.Of(obj);
        await Page(http, 404, "Not found", "error", c, null, SimplePages.Error("Not found", $"There is no Application {ns}/{name} that you may read.")).ExecuteAsync(http);
        return null;
    }

    private async Task<IResult> AppAsync(HttpContext http, string ns, string name)
    {
        if (await CallerAsync(http) is not { } c) return Results.Empty;
        if (await ReadableAppAsync(http, c, ns, name) is not { } app) return Results.Empty;
        var main = await AppMainAsync(http, c, app);
        if (http.Request.Query["part"] == "main") return Results.Content(Html.UnderBase(main, _base), "text/html; charset=utf-8");
        return Page(http, 200, app.Key, "app", c, app.Key, main);
    }

    private async Task<string> AppMainAsync(HttpContext http, Caller c, AppView app)
    {
        var ct = http.RequestAborted;
        var obj = source.Get(app.Namespace, app.Name);
        var pinned = (string?)obj?["metadata"]?["annotations"]?[Annotations.RollbackTo];
        var (details, remote) = await DetailsOfAsync(obj, ct);
        var treeTask = details.TreeAsync(app.Status, ct);
        var eventsTask = _details.EventsAsync(app.Namespace, app.Name, ct);
        var tree = await treeTask;
        var (events, eventsError) = await eventsTask;
        var act = !c.Viewer.Anonymous && await AllowedAsync(c, AccessCheck.PatchApp(app.Namespace, app.Name), ct);
        var holdable = new HashSet<string>(StringComparer.Ordinal);
        // A drift hold is a write to the live object: in a remote cluster, this cluster's RBAC cannot say who may make it.
        if (!c.Viewer.Anonymous && !remote)
            foreach (var n in tree.Where(n => n.Managed && n.Live))
            {
                var resource = await discovery.FindAsync(n.ApiVersion, n.Kind, ct);
                if (resource is not null && await AllowedAsync(c, new AccessCheck("patch", resource.Group, resource.Plural, resource.Namespaced ? n.Namespace : "", n.Name), ct))
                    holdable.Add(n.Key);
            }
        var done = http.Request.Query["done"].ToString();
        var outcome = DashboardAction.All.TryGetValue(done, out var action) ? action.Done : null;
        return AppPage.Render(app, pinned, tree, events, eventsError, new AppPage.Rights(act, n => holdable.Contains(n.Key)), outcome);
    }

    /// <summary>
    /// Where the live side of an Application's tree is read: its destination cluster (the operator's own, or a
    /// remote one through the operator's connection to it); an unusable remote cluster shows an empty tree.
    /// </summary>
    private async Task<(AppDetails Details, bool Remote)> DetailsOfAsync(JsonObject? obj, CancellationToken ct)
    {
        if (obj is null || pipeline.GetService(typeof(Controller.DestinationClusters)) is not Controller.DestinationClusters clusters) return (_details, false);
        try
        {
            var destination = await clusters.ResolveAsync(Application.Parse(obj), ct);
            return destination.IsInCluster ? (_details, false) : (new AppDetails(destination.Api, destination.Discovery, options), true);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or TerminalReconcileException or Cluster.Remote.ClusterCredentialsException)
        {
            logger.LogInformation("the destination cluster of {Application} cannot be read for its tree: {Error}", (string?)obj["metadata"]?["name"], e.Message);
            return (AppDetails.Empty(options), true);
        }
    }

    private async Task<IResult> DiffAsync(HttpContext http, string ns, string name)
    {
        if (await CallerAsync(http) is not { } c) return Results.Empty;
        if (await ReadableAppAsync(http, c, ns, name) is not { } app) return Results.Empty;
        var ct = http.RequestAborted;
        PlanPreview.PlanDiff? diff = null;
        string? error = null;
        var readable = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            diff = await PlanPreview.ComputeAsync(pipeline, api, source.Get(ns, name)!, null, ct);
            foreach (var (task, _) in diff.Tasks)
            {
                var key = task.Key;
                var resource = await discovery.FindByGroupKindAsync(key.Group, key.Kind, ct);
                if (resource is not null && await AllowedAsync(c, new AccessCheck("get", key.Group, resource.Plural, resource.Namespaced ? key.Namespace : "", key.Name), ct))
                    readable.Add(key.ToString());
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogInformation("dashboard: the diff of {App} failed: {Error}", app.Key, e.Message);
            error = e is PreviewException or KubeApiException or Source.SourceException or Render.RenderException ? e.Message.Split('\n')[0] : "an internal error (see the operator's log)";
        }
        return Page(http, error is null ? 200 : 502, $"Diff of {app.Key}", "diff", c, null, DiffPage.Render(app, diff, error, readable.Contains));
    }

    private async Task<IResult> ConfirmAsync(HttpContext http, string ns, string name, string action)
    {
        if (await CallerAsync(http) is not { } c) return Results.Empty;
        if (await ReadableAppAsync(http, c, ns, name) is not { } app) return Results.Empty;
        if (!DashboardAction.All.TryGetValue(action, out var what)) return Page(http, 404, "Not found", "error", c, null, SimplePages.Error("Not found", "No such action."));
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in new[] { "id", "object" })
            if (http.Request.Query[key].ToString() is { Length: > 0 } v) args[key] = v;
        if (!await MayActAsync(c, app, what, args, http.RequestAborted))
            return Page(http, 403, "Forbidden", "error", c, null, SimplePages.Error("Forbidden", $"{c.Viewer.Name} may not {what.Label.ToLowerInvariant()} {app.Key}."));
        return Page(http, 200, what.Label, "confirm", c, null, SimplePages.Confirm(app, what, CsrfOf(c), args));
    }

    private async Task<bool> MayActAsync(Caller c, AppView app, DashboardAction action, IReadOnlyDictionary<string, string> args, CancellationToken ct)
    {
        if (c.Viewer.Anonymous) return false;
        try
        {
            return await AllowedAsync(c, await _actions.RequiredAsync(app, action, args.GetValueOrDefault("object"), ct), ct);
        }
        catch (ActionException)
        {
            return false;
        }
    }

    private async Task<IResult> ActAsync(HttpContext http, string ns, string name, string action)
    {
        if (await CallerAsync(http) is not { } c) return Results.Empty;
        if (!http.Request.HasFormContentType) return Page(http, 400, "Bad request", "error", c, null, SimplePages.Error("Bad request", "Actions are form posts."));
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (!CsrfValid(c, form)) return Page(http, 403, "Forbidden", "error", c, null, SimplePages.Error("Forbidden", "The form has expired or did not come from this dashboard; open the page again."));
        if (await ReadableAppAsync(http, c, ns, name) is not { } app) return Results.Empty;
        if (!DashboardAction.All.TryGetValue(action, out var what)) return Page(http, 404, "Not found", "error", c, null, SimplePages.Error("Not found", "No such action."));
        var args = form.Where(f => f.Key != CsrfField).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        if (!await MayActAsync(c, app, what, args, http.RequestAborted))
            return Page(http, 403, "Forbidden", "error", c, null, SimplePages.Error("Forbidden", $"{c.Viewer.Name} may not {what.Label.ToLowerInvariant()} {app.Key}."));
        try
        {
            var message = await _actions.RunAsync(new Actor(c.Viewer, c.Token), app, what, args, http.RequestAborted);
            logger.LogInformation("dashboard: {User} did {Action} on {App}: {Outcome}", c.Viewer.Name, what.Name, app.Key, message);
            return Results.Redirect($"{_base}{Html.AppPath(ns, name)}?done={what.Name}", permanent: false, preserveMethod: false);
        }
        catch (ActionException e)
        {
            return Page(http, e.Status, "Not done", "error", c, null, SimplePages.Error($"{what.Label} was not done", e.Message));
        }
        catch (KubeApiException e)
        {
            return Page(http, e.Code is 401 or 403 or 409 or 422 ? e.Code : 502, "Not done", "error", c, null, SimplePages.Error($"{what.Label} was not done", $"The API server answered: {e.Message}"));
        }
    }

    // ---- sign in and out ------------------------------------------------------------------------

    private async Task<IResult> LoginAsync(HttpContext http)
    {
        if (!access.UsesTokens) return Results.Redirect(_base + "/");
        // The connection's address: behind an Ingress that is the proxy's, so all its clients share one limit.
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (_logins.RetryAfter(address) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page(http, 429, "Too many attempts", "login", null, null,
                SimplePages.Login($"Too many failed sign-ins from your address; try again in {seconds} s.", options.Anonymous));
        }
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : null;
        var token = form?["token"].ToString().Trim() ?? "";
        Viewer? viewer;
        try
        {
            viewer = token.Length == 0 ? null : await access.AuthenticateAsync(token, http.RequestAborted);
        }
        catch (KubeApiException e)
        {
            return Page(http, 503, "Unavailable", "error", null, null, SimplePages.Error("The cluster cannot check your token now", e.Message));
        }
        if (viewer is null || viewer.Anonymous)
        {
            _logins.Failed(address);
            return Page(http, 401, "Sign in", "login", null, null, SimplePages.Login("The cluster did not accept that token.", options.Anonymous));
        }
        http.Response.Cookies.Append(TokenCookie, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps || http.Request.Headers["X-Forwarded-Proto"] == "https",
            Path = CookiePath, // the token goes to the dashboard only, not to whatever else shares the host
        });
        return Results.Redirect(_base + "/");
    }

    private async Task<IResult> LogoutAsync(HttpContext http)
    {
        if (await CallerAsync(http) is not { } c) return Results.Empty;
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : null;
        if (form is null || !CsrfValid(c, form)) return Page(http, 403, "Forbidden", "error", c, null, SimplePages.Error("Forbidden", "The form did not come from this dashboard."));
        http.Response.Cookies.Delete(TokenCookie, new CookieOptions { Path = CookiePath, HttpOnly = true, SameSite = SameSiteMode.Strict });
        return Results.Redirect(_base + "/ui/login");
    }
}
