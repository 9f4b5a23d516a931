using System.Globalization;
using System.Text;
using GitOps.Operator.Applications;
using GitOps.Operator.Preview;
using GitOps.Operator.Status;
using static GitOps.Operator.Dashboard.Html;

namespace GitOps.Operator.Dashboard;

/// <summary>The Applications page: counts, filters and one row per Application the viewer may read.</summary>
internal static class ListPage
{
    public static readonly string[] Statuses = ["Synced", "OutOfSync", "Healthy", "Progressing", "Degraded", "Missing", "Suspended", "Unknown", "Failing"];

    public static string Render(IReadOnlyList<AppView> apps, ListFilter filter, bool synced)
    {
        var sb = new StringBuilder(512 + apps.Count * 700);
        sb.Append("<h1>Applications</h1>");
        if (!synced) sb.Append("<p class=\"problem\">The Application cache has not synced yet (or this replica is on standby): the list may be incomplete.</p>");
        var shown = apps.Where(a => a.Matches(filter)).ToList();
        sb.Append("<section aria-label=\"Counts\"><dl class=\"counts\" id=\"counts\">");
        Count(sb, "total", "Applications", shown.Count);
        Count(sb, "Synced", "Synced", shown.Count(a => a.Sync == "Synced"));
        Count(sb, "OutOfSync", "Out of sync", shown.Count(a => a.Sync == "OutOfSync"));
        Count(sb, "Healthy", "Healthy", shown.Count(a => a.Health == "Healthy"));
        Count(sb, "Progressing", "Progressing", shown.Count(a => a.Health == "Progressing"));
        Count(sb, "Degraded", "Degraded", shown.Count(a => a.Health == "Degraded"));
        Count(sb, "Failing", "Failing", shown.Count(a => a.Failing));
        sb.Append("</dl></section>");

        sb.Append("<form id=\"filters\" class=\"filters\" method=\"get\" action=\"/\" role=\"search\" aria-label=\"Filter Applications\">");
        Select(sb, "f-namespace", "namespace", "Namespace", apps.Select(a => a.Namespace), filter.Namespace);
        Select(sb, "f-project", "project", "Project", apps.Select(a => a.Project), filter.Project);
        Select(sb, "f-status", "status", "Status", Statuses, filter.Status, sort: false);
        sb.Append("<div class=\"field\"><label for=\"f-q\">Search</label><input type=\"search\" id=\"f-q\" name=\"q\" value=\"").Append(E(filter.Text))
          .Append("\" placeholder=\"name, revision, message\"></div><button type=\"submit\">Filter</button></form>");

        sb.Append("<table id=\"apps\" class=\"apps\"><caption>Applications, updated live</caption><thead><tr>")
          .Append("<th scope=\"col\">Application</th><th scope=\"col\">Namespace</th><th scope=\"col\">Project</th><th scope=\"col\">Sync</th>")
          .Append("<th scope=\"col\">Health</th><th scope=\"col\">Revision</th><th scope=\"col\">Last sync</th><th scope=\"col\">Problem</th></tr></thead><tbody>");
        foreach (var app in apps) Row(sb, app, !app.Matches(filter));
        sb.Append("</tbody></table>");
        if (apps.Count == 0) sb.Append("<p id=\"empty\">No Applications you may read.</p>");
        sb.Append("<p id=\"live\" class=\"visually-hidden\" aria-live=\"polite\"></p>");
        return sb.ToString();
    }

    private static void Count(StringBuilder sb, string key, string label, int n) =>
        sb.Append("<div><dt>").Append(E(label)).Append("</dt><dd data-count=\"").Append(E(key)).Append("\">").Append(n.ToString(CultureInfo.InvariantCulture)).Append("</dd></div>");

    private static void Select(StringBuilder sb, string id, string name, string label, IEnumerable<string> values, string selected, bool sort = true)
    {
        sb.Append("<div class=\"field\"><label for=\"").Append(id).Append("\">").Append(E(label)).Append("</label><select id=\"").Append(id)
          .Append("\" name=\"").Append(name).Append("\"><option value=\"\">All</option>");
        var list = values.Distinct(StringComparer.Ordinal);
        if (sort) list = list.Order(StringComparer.Ordinal);
        foreach (var v in list)
            sb.Append("<option").Append(v == selected ? " selected" : "").Append(" value=\"").Append(E(v)).Append("\">").Append(E(v)).Append("</option>");
        sb.Append("</select></div>");
    }

    public static string Row(AppView app, bool hidden = false)
    {
        var sb = new StringBuilder(800);
        Row(sb, app, hidden);
        return sb.ToString();
    }

    public static void Row(StringBuilder sb, AppView a, bool hidden)
    {
        sb.Append("<tr id=\"app:").Append(E(a.Key)).Append("\" data-ns=\"").Append(E(a.Namespace)).Append("\" data-project=\"").Append(E(a.Project))
          .Append("\" data-sync=\"").Append(E(a.Sync)).Append("\" data-health=\"").Append(E(a.Health)).Append("\" data-failing=\"").Append(a.Failing ? "1" : "0")
          .Append("\" data-suspended=\"").Append(a.Suspended ? "1" : "0").Append("\" data-text=\"").Append(E(a.SearchText)).Append('"');
        if (hidden) sb.Append(" hidden");
        sb.Append("><th scope=\"row\"><a href=\"").Append(AppPath(a.Namespace, a.Name)).Append("\">").Append(E(a.Name)).Append("</a></th><td>")
          .Append(E(a.Namespace)).Append("</td><td>").Append(E(a.Project)).Append("</td><td>").Append(Badge(a.Sync)).Append("</td><td>")
          .Append(Badge(a.Suspended ? "Suspended" : a.Health)).Append("</td><td><code title=\"").Append(E(a.Revision)).Append("\">").Append(E(a.ShortRevision))
          .Append("</code> <span class=\"msg\">").Append(E(a.RevisionMessage)).Append("</span></td><td>").Append(E(Time(a.LastSync))).Append("</td><td class=\"problem-cell\">")
          .Append(E(a.Problem)).Append("</td></tr>");
    }
}

/// <summary>The Application page: summary, actions, problems, the resource tree, conditions, Events, history.</summary>
internal static class AppPage
{
    public sealed record Rights(bool Act, Func<TreeNode, bool> CanHold);

    public static string Render(AppView a, string? pinned, IReadOnlyList<TreeNode> tree, IReadOnlyList<EventView> events, string? eventsError, Rights rights, string? outcome)
    {
        var s = a.Status;
        var sb = new StringBuilder(8192);
        sb.Append("<nav aria-label=\"Breadcrumb\"><a href=\"/\">Applications</a> / ").Append(E(a.Namespace)).Append("</nav>");
        sb.Append("<h1>").Append(E(a.Name)).Append("</h1>");
        if (outcome is not null) sb.Append("<p class=\"outcome\" role=\"status\" id=\"outcome\">").Append(E(outcome)).Append("</p>");
        sb.Append("<dl class=\"summary\" id=\"summary\">");
        Item(sb, "Sync", Badge(a.Sync));
        Item(sb, "Health", Badge(a.Suspended ? "Suspended" : a.Health) + (s.Health?.Message is { Length: > 0 } hm ? " <span class=\"msg\">" + E(hm) + "</span>" : ""));
        Item(sb, "Revision", $"<code title=\"{E(a.Revision)}\" id=\"revision\">{E(a.ShortRevision)}</code> <span class=\"msg\">{E(a.RevisionMessage)}</span>");
        Item(sb, "Last sync", E(Time(a.LastSync)) + (s.OperationState?.Phase is { } phase ? $" ({E(phase)}{(s.OperationState.Message is { Length: > 0 } om ? ": " + E(om) : "")})" : ""));
        Item(sb, "Source", $"{E(a.RepoUrl)} <code>{E(a.Path)}</code> at <code>{E(a.TargetRevision)}</code>");
        Item(sb, "Namespace", E(a.Namespace));
        Item(sb, "Project", E(a.Project));
        if (a.Suspended) Item(sb, "Suspended", "yes: nothing is applied, pruned or healed");
        if (pinned is not null) Item(sb, "Rolled back", $"pinned to history entry {E(pinned)}");
        sb.Append("</dl>");

        if (rights.Act)
        {
            sb.Append("<section aria-labelledby=\"actions-h\" class=\"actions\"><h2 id=\"actions-h\">Actions</h2>");
            ActionButton(sb, a, "sync");
            ActionButton(sb, a, "refresh");
            ActionButton(sb, a, a.Suspended ? "resume" : "suspend");
            if (pinned is not null) ActionButton(sb, a, "unpin");
            sb.Append("</section>");
        }
        sb.Append("<p><a href=\"").Append(AppPath(a.Namespace, a.Name)).Append("/diff\">Diff: live state against Git</a></p>");

        if (a.Problem is not null) sb.Append("<div class=\"problem\" id=\"problem\"><h2>What is wrong</h2><p>").Append(E(a.Problem)).Append("</p></div>");
        var failed = s.Resources.Where(r => r.Message is { Length: > 0 } && r.Status != SyncSummary.Synced).ToList();
        if (failed.Count > 0)
        {
            sb.Append("<section aria-labelledby=\"errors-h\"><h2 id=\"errors-h\">Objects with errors</h2><table><thead><tr><th scope=\"col\">Object</th><th scope=\"col\">Status</th><th scope=\"col\">Message</th></tr></thead><tbody>");
            foreach (var r in failed)
                sb.Append("<tr><th scope=\"row\">").Append(E($"{r.Kind}/{r.Namespace}/{r.Name}")).Append("</th><td>").Append(Badge(r.Status)).Append("</td><td>").Append(E(r.Message)).Append("</td></tr>");
            sb.Append("</tbody></table></section>");
        }
        var held = Flatten(tree).Where(n => n.HoldReason is not null).ToList();
        if (held.Count > 0 || s.Is(Reasons.DriftHeld))
        {
            sb.Append("<section aria-labelledby=\"holds-h\"><h2 id=\"holds-h\">Drift holds</h2>");
            if (s.Find(Reasons.DriftHeld) is { Status: Condition.True } dh) sb.Append("<p>").Append(E(dh.Message)).Append("</p>");
            sb.Append("<ul>");
            foreach (var n in held) sb.Append("<li>").Append(E(n.Key)).Append(": ").Append(E(n.HoldReason)).Append(" (until ").Append(E(n.HoldUntil ?? "?")).Append(")</li>");
            sb.Append("</ul></section>");
        }

        sb.Append("<section aria-labelledby=\"tree-h\"><h2 id=\"tree-h\">Resources</h2><ul class=\"tree\" id=\"tree\"><li><div class=\"node root\"><span class=\"kind\">Application</span> <b>")
          .Append(E(a.Name)).Append("</b> ").Append(Badge(a.Sync)).Append(' ').Append(Badge(a.Health)).Append("</div><ul>");
        foreach (var n in tree) Node(sb, a, n, rights);
        sb.Append("</ul></li></ul>");
        if (tree.Count == 0) sb.Append("<p>No objects yet.</p>");
        sb.Append("</section>");

        sb.Append("<section aria-labelledby=\"cond-h\"><h2 id=\"cond-h\">Conditions</h2><table><thead><tr><th scope=\"col\">Type</th><th scope=\"col\">Status</th><th scope=\"col\">Reason</th><th scope=\"col\">Message</th><th scope=\"col\">Since</th></tr></thead><tbody>");
        foreach (var c in s.Conditions)
            sb.Append("<tr><th scope=\"row\">").Append(E(c.Type)).Append("</th><td>").Append(E(c.Status)).Append("</td><td>").Append(E(c.Reason)).Append("</td><td>")
              .Append(E(c.Message)).Append("</td><td>").Append(E(Time(c.LastTransitionTime))).Append("</td></tr>");
        sb.Append("</tbody></table></section>");

        sb.Append("<section aria-labelledby=\"events-h\"><h2 id=\"events-h\">Recent events</h2>");
        if (eventsError is not null) sb.Append("<p>Events cannot be read: ").Append(E(eventsError)).Append("</p>");
        else if (events.Count == 0) sb.Append("<p>No events.</p>");
        else
        {
            sb.Append("<table><thead><tr><th scope=\"col\">Time</th><th scope=\"col\">Type</th><th scope=\"col\">Reason</th><th scope=\"col\">Message</th><th scope=\"col\">Count</th></tr></thead><tbody>");
            foreach (var e in events)
                sb.Append("<tr><td>").Append(E(Time(e.Time))).Append("</td><td>").Append(E(e.Type)).Append("</td><td>").Append(E(e.Reason)).Append("</td><td>")
                  .Append(E(e.Message)).Append("</td><td>").Append(e.Count.ToString(CultureInfo.InvariantCulture)).Append("</td></tr>");
            sb.Append("</tbody></table>");
        }
        sb.Append("</section>");

        sb.Append("<section aria-labelledby=\"history-h\"><h2 id=\"history-h\">History</h2>");
        if (s.History.Count == 0) sb.Append("<p>Nothing deployed yet.</p>");
        else
        {
            var currentId = s.History.LastOrDefault(h => h.Revision == a.Revision)?.Id;
            sb.Append("<table id=\"history\"><thead><tr><th scope=\"col\">ID</th><th scope=\"col\">Revision</th><th scope=\"col\">Commit</th><th scope=\"col\">Deployed</th><th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
            foreach (var h in s.History.Reverse())
            {
                var id = h.Id.ToString(CultureInfo.InvariantCulture);
                sb.Append("<tr><th scope=\"row\">").Append(id).Append("</th><td><code title=\"").Append(E(h.Revision)).Append("\">").Append(E(Revision.Short(h.Revision)))
                  .Append("</code></td><td>").Append(E(h.Message)).Append("</td><td>").Append(E(Time(h.DeployedAt))).Append("</td><td>");
                if (h.Id == currentId) sb.Append("current ");
                if (id == pinned) sb.Append("pinned ");
                if (rights.Act && h.Id != currentId)
                    sb.Append("<form method=\"get\" action=\"").Append(AppPath(a.Namespace, a.Name)).Append("/confirm/rollback\" class=\"inline\"><input type=\"hidden\" name=\"id\" value=\"")
                      .Append(id).Append("\"><button type=\"submit\" aria-label=\"Roll back to ").Append(id).Append("\">Roll back</button></form>");
                sb.Append("</td></tr>");
            }
            sb.Append("</tbody></table>");
        }
        sb.Append("</section>");
        return sb.ToString();
    }

    private static IEnumerable<TreeNode> Flatten(IEnumerable<TreeNode> nodes) => nodes.SelectMany(n => new[] { n }.Concat(Flatten(n.Children)));

    private static void Item(StringBuilder sb, string label, string html) => sb.Append("<div><dt>").Append(E(label)).Append("</dt><dd>").Append(html).Append("</dd></div>");

    private static void ActionButton(StringBuilder sb, AppView a, string name)
    {
        var action = DashboardAction.All[name];
        sb.Append("<form method=\"get\" action=\"").Append(AppPath(a.Namespace, a.Name)).Append("/confirm/").Append(name).Append("\" class=\"inline\"><button type=\"submit\" id=\"action-")
          .Append(name).Append("\">").Append(E(action.Label)).Append("</button></form>");
    }

    private static void Node(StringBuilder sb, AppView a, TreeNode n, Rights rights)
    {
        sb.Append("<li><div class=\"node\" data-key=\"").Append(E(n.Key)).Append("\"><span class=\"kind\">").Append(E(n.Kind)).Append("</span> <b>").Append(E(n.Name)).Append("</b> ");
        if (n.Namespace.Length > 0 && n.Namespace != a.Namespace) sb.Append("<span class=\"msg\">in ").Append(E(n.Namespace)).Append("</span> ");
        if (n.Sync is not null) sb.Append(Badge(n.Sync)).Append(' ');
        if (n.Health is not null) sb.Append(Badge(n.Health)).Append(' ');
        if (n.HoldReason is not null) sb.Append("<span class=\"badge warn\">held</span> ");
        if (n.Message is { Length: > 0 }) sb.Append("<span class=\"msg\">").Append(E(n.Message)).Append("</span> ");
        if (n.Managed)
        {
            sb.Append("<a href=\"").Append(AppPath(a.Namespace, a.Name)).Append("/diff#obj:").Append(Uri.EscapeDataString(n.Key)).Append("\" aria-label=\"Diff of ").Append(E(n.Key)).Append("\">diff</a> ");
            if (n.Live && rights.CanHold(n))
            {
                var name = n.HoldReason is null ? "hold" : "unhold";
                sb.Append("<form method=\"get\" action=\"").Append(AppPath(a.Namespace, a.Name)).Append("/confirm/").Append(name).Append("\" class=\"inline\"><input type=\"hidden\" name=\"object\" value=\"")
                  .Append(E(n.Key)).Append("\"><button type=\"submit\" class=\"small\" aria-label=\"").Append(E(DashboardAction.All[name].Label + " " + n.Key)).Append("\">")
                  .Append(E(DashboardAction.All[name].Label)).Append("</button></form>");
            }
        }
        sb.Append("</div>");
        if (n.Children.Count > 0)
        {
            sb.Append("<ul>");
            foreach (var c in n.Children) Node(sb, a, c, rights);
            sb.Append("</ul>");
        }
        sb.Append("</li>");
    }
}

/// <summary>The diff page: the plan of a sync now, each object's unified diff (Secret data masked).</summary>
internal static class DiffPage
{
    public static string Render(AppView a, PlanPreview.PlanDiff? diff, string? error, Func<string, bool> mayRead)
    {
        var sb = new StringBuilder(16384);
        sb.Append("<nav aria-label=\"Breadcrumb\"><a href=\"/\">Applications</a> / <a href=\"").Append(AppPath(a.Namespace, a.Name)).Append("\">").Append(E(a.Key)).Append("</a></nav>");
        sb.Append("<h1>Diff of ").Append(E(a.Name)).Append("</h1>");
        if (error is not null || diff is null)
        {
            sb.Append("<p class=\"problem\">The diff cannot be computed: ").Append(E(error)).Append("</p>");
            return sb.ToString();
        }
        sb.Append("<p>What a sync at <code>").Append(E(diff.Revision)).Append("</code> would do: ").Append(E(diff.Plan.Summary.ToString())).Append("</p>");
        foreach (var e in diff.Errors) sb.Append("<p class=\"problem\">").Append(E(e)).Append("</p>");
        foreach (var v in diff.Violations.Violations) sb.Append("<p class=\"problem\">policy: ").Append(E(v.ToString())).Append("</p>");
        foreach (var (task, text) in diff.Tasks)
        {
            var key = task.Key.ToString();
            sb.Append("<section class=\"task\" id=\"obj:").Append(E(key)).Append("\"><h2><span class=\"badge ").Append(task.Action.ToString() == "Skip" ? "neutral" : "warn").Append("\">")
              .Append(E(task.Action.ToString())).Append("</span> ").Append(E(key)).Append("</h2><p>").Append(E(task.Message.Length == 0 ? task.Reason : $"{task.Reason}: {task.Message}")).Append("</p>");
            if (!mayRead(key)) sb.Append("<p>You may not read this object: its diff is hidden.</p>");
            else if (text.Length == 0) sb.Append("<p class=\"msg\">No difference.</p>");
            else
            {
                sb.Append("<pre class=\"diff\" aria-label=\"Diff of ").Append(E(key)).Append("\">");
                foreach (var line in text.Split('\n'))
                {
                    var cls = line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) ? "hdr"
                        : line.StartsWith('+') ? "add" : line.StartsWith('-') ? "del" : line.StartsWith('@') ? "hunk" : "ctx";
                    sb.Append("<span class=\"").Append(cls).Append("\">").Append(E(line)).Append("</span>\n");
                }
                sb.Append("</pre>");
            }
            sb.Append("</section>");
        }
        return sb.ToString();
    }
}

/// <summary>Pages without an Application: sign-in, confirmation, errors.</summary>
internal static class SimplePages
{
    public static string Login(string? error, bool anonymous) =>
        "<h1>Sign in</h1>" +
        (error is null ? "" : $"<p class=\"problem\" role=\"alert\">{E(error)}</p>") +
        "<p>This dashboard shows what your Kubernetes account may see, and lets you do what it may do. Sign in with a bearer token for the cluster, for example a service account's:</p>" +
        "<pre><code>kubectl create token &lt;sa&gt; -n &lt;namespace&gt;</code></pre>" +
        "<p>The token is checked by the cluster (TokenReview) and kept only in a cookie this browser sends to this dashboard (HttpOnly, SameSite=Strict). Tools can send it as <code>Authorization: Bearer &lt;token&gt;</code> instead.</p>" +
        "<form method=\"post\" action=\"/ui/login\" class=\"login\"><div class=\"field\"><label for=\"token\">Bearer token</label>" +
        "<input type=\"password\" id=\"token\" name=\"token\" autocomplete=\"off\" required spellcheck=\"false\"></div><button type=\"submit\">Sign in</button></form>" +
        (anonymous ? "<p><a href=\"/\">Continue read-only without signing in</a></p>" : "");

    public static string Confirm(AppView a, DashboardAction action, string csrf, IReadOnlyDictionary<string, string> args)
    {
        var sb = new StringBuilder();
        sb.Append("<nav aria-label=\"Breadcrumb\"><a href=\"/\">Applications</a> / <a href=\"").Append(AppPath(a.Namespace, a.Name)).Append("\">").Append(E(a.Key)).Append("</a></nav>");
        sb.Append("<h1>").Append(E(action.Label)).Append(": ").Append(E(a.Key)).Append("</h1><p>").Append(E(action.Question)).Append("</p>");
        if (action.Name == "rollback" && long.TryParse(args.GetValueOrDefault("id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && a.Status.FindHistory(id) is { } h)
            sb.Append("<p>History entry ").Append(id.ToString(CultureInfo.InvariantCulture)).Append(": <code>").Append(E(Revision.Short(h.Revision))).Append("</code> ").Append(E(h.Message)).Append(", deployed ").Append(E(Time(h.DeployedAt))).Append("</p>");
        if (action.OnObject) sb.Append("<p>Object: <b>").Append(E(args.GetValueOrDefault("object"))).Append("</b></p>");
        sb.Append("<form method=\"post\" action=\"").Append(AppPath(a.Namespace, a.Name)).Append('/').Append(action.Name).Append("\" class=\"confirm\">")
          .Append("<input type=\"hidden\" name=\"_csrf\" value=\"").Append(E(csrf)).Append("\">");
        foreach (var key in new[] { "id", "object" })
            if (args.TryGetValue(key, out var v)) sb.Append("<input type=\"hidden\" name=\"").Append(key).Append("\" value=\"").Append(E(v)).Append("\">");
        if (action.Name == "hold")
        {
            sb.Append("<div class=\"field\"><label for=\"reason\">Reason (shown in the DriftHeld condition)</label><input id=\"reason\" name=\"reason\" required maxlength=\"200\"></div>")
              .Append("<div class=\"field\"><label for=\"minutes\">For</label><select id=\"minutes\" name=\"minutes\">");
            foreach (var d in DashboardActions.HoldDurations)
                sb.Append("<option value=\"").Append(((int)d.TotalMinutes).ToString(CultureInfo.InvariantCulture)).Append('"').Append(d == TimeSpan.FromHours(1) ? " selected" : "").Append('>')
                  .Append(d.TotalHours >= 1 ? $"{d.TotalHours:0} h" : $"{d.TotalMinutes:0} min").Append("</option>");
            sb.Append("</select></div>");
        }
        sb.Append("<button type=\"submit\" id=\"confirm\">Yes, ").Append(E(action.Label.ToLowerInvariant())).Append("</button> <a href=\"").Append(AppPath(a.Namespace, a.Name)).Append("\">Cancel</a></form>");
        return sb.ToString();
    }

    public static string Error(string title, string message) => $"<h1>{E(title)}</h1><p class=\"problem\">{E(message)}</p><p><a href=\"/\">Back to the Applications</a></p>";
}
