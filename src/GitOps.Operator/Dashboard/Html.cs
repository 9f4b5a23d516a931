using System.Globalization;
using System.Text;

namespace GitOps.Operator.Dashboard;

/// <summary>HTML pieces: every text goes through <see cref="E"/>; pages share one layout with no inline script or style (the CSP forbids them).</summary>
internal static class Html
{
    /// <summary>Text for an element or a quoted attribute: the five characters HTML gives meaning escaped (and only those, so a diff's + stays readable).</summary>
    public static string E(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0) return text;
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
            sb.Append(c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '"' => "&quot;", '\'' => "&#39;", _ => c.ToString() });
        return sb.ToString();
    }

    public static string AppPath(string ns, string name) => $"/ui/apps/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}";

    public static string Time(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    /// <summary>A coloured word with its meaning in text (never colour alone).</summary>
    public static string Badge(string? status)
    {
        var s = string.IsNullOrEmpty(status) ? "Unknown" : status;
        var tone = s switch
        {
            "Synced" or "Healthy" => "good",
            "OutOfSync" or "Progressing" or "Suspended" or "Missing" => "warn",
            "Degraded" or "Failed" => "bad",
            _ => "neutral",
        };
        return $"<span class=\"badge {tone}\">{E(s)}</span>";
    }

    /// <summary>
    /// The page with every root-relative link, form action and asset put under the path base. Pages
    /// make their links root-relative and every text goes through <see cref="E"/>, which escapes
    /// quotes, so an attribute opening with ="/ is always one of ours, never data.
    /// </summary>
    public static string UnderBase(string html, string pathBase) =>
        pathBase.Length == 0 ? html : html.Replace("href=\"/", $"href=\"{pathBase}/", StringComparison.Ordinal)
            .Replace("action=\"/", $"action=\"{pathBase}/", StringComparison.Ordinal)
            .Replace("src=\"/", $"src=\"{pathBase}/", StringComparison.Ordinal);

    public static string Layout(string title, string page, Viewer? viewer, string? csrf, string main, string? dataApp = null, bool tokens = true, string pathBase = "")
    {
        var sb = new StringBuilder(main.Length + 2048);
        sb.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
          .Append("<title>").Append(E(title)).Append(" · GitOps</title>")
          .Append("<link rel=\"stylesheet\" href=\"/ui/static/dashboard.css\">")
          .Append("<script src=\"/ui/static/dashboard.js\" defer></script></head>")
          .Append("<body data-page=\"").Append(E(page)).Append('"');
        if (dataApp is not null) sb.Append(" data-app=\"").Append(E(dataApp)).Append('"');
        if (pathBase.Length > 0) sb.Append(" data-base=\"").Append(E(pathBase)).Append('"');
        sb.Append("><a class=\"skip\" href=\"#main\">Skip to content</a><header class=\"top\"><a class=\"brand\" href=\"/\">GitOps · Applications</a>");
        if (viewer is not null)
        {
            sb.Append("<span class=\"who\">").Append(viewer.Anonymous ? "anonymous, read-only" : "signed in as <b>" + E(viewer.Name) + "</b>").Append("</span>");
            if (tokens && !viewer.Anonymous && csrf is not null)
                sb.Append("<form method=\"post\" action=\"/ui/logout\" class=\"inline\"><input type=\"hidden\" name=\"_csrf\" value=\"").Append(E(csrf))
                  .Append("\"><button type=\"submit\" class=\"link\">Sign out</button></form>");
            if (viewer.Anonymous && tokens) sb.Append("<a href=\"/ui/login\">Sign in</a>");
        }
        sb.Append("</header><main id=\"main\" tabindex=\"-1\">").Append(main).Append("</main></body></html>");
        return UnderBase(sb.ToString(), pathBase);
    }
}
