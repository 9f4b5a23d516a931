using System.Text.Json.Nodes;
using GitOps.Sandbox.Admission;
using GitOps.Sandbox.Api;

namespace GitOps.Sandbox.Auth;

/// <summary>The Status bodies kube-apiserver refuses requests with (responsewriters.Forbidden, the Unauthorized handler).</summary>
internal static class Refusals
{
    public static StatusException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    /// <summary>
    /// apierrors.NewForbidden of the request's group and resource and name, with
    /// forbiddenMessage (&amp;, &lt; and &gt; escaped) and the authorizer's reason after a colon:
    /// `deployments.apps "web" is forbidden: User "u" cannot get resource "deployments/scale" in API group "apps" in the namespace "ns"`,
    /// `forbidden: User "u" cannot get path "/metrics"`.
    /// </summary>
    public static StatusException Forbidden(RequestAttributes a, string reason)
    {
        var message = Sanitize(ForbiddenMessage(a));
        if (reason.Length > 0) message += ": " + reason;
        return Forbidden(a.ApiGroup, a.Resource, a.Name, message);
    }

    /// <summary>apierrors.NewForbidden(groupResource, name, err).</summary>
    public static StatusException Forbidden(string group, string resource, string name, string why)
    {
        var qualified = group.Length == 0 ? resource : $"{resource}.{group}";
        var message = qualified.Length == 0 ? $"forbidden: {why}"
            : name.Length == 0 ? $"{qualified} is forbidden: {why}"
            : $"{qualified} {GoFormat.Quote(name)} is forbidden: {why}";
        var details = new JsonObject();
        if (name.Length > 0) details["name"] = name;
        if (group.Length > 0) details["group"] = group;
        if (resource.Length > 0) details["kind"] = resource;
        return new StatusException(403, "Forbidden", message, details);
    }

    private static string ForbiddenMessage(RequestAttributes a)
    {
        var user = GoFormat.Quote(a.User.Name);
        if (!a.IsResourceRequest) return $"User {user} cannot {a.Verb} path {GoFormat.Quote(a.Path)}";
        var resource = a.Subresource.Length > 0 ? a.Resource + "/" + a.Subresource : a.Resource;
        var scope = a.Namespace.Length > 0 ? $"in the namespace {GoFormat.Quote(a.Namespace)}" : "at the cluster scope";
        return $"User {user} cannot {a.Verb} resource {GoFormat.Quote(resource)} in API group {GoFormat.Quote(a.ApiGroup)} {scope}";
    }

    /// <summary>responsewriters' sanitizer: nothing that looks like HTML.</summary>
    public static string Sanitize(string s) =>
        s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}

/// <summary>A failure answered in plain text, as responsewriters.InternalError writes it (not a Status).</summary>
internal sealed class PlainTextFailure(int code, string text) : Exception(text)
{
    public int Code { get; } = code;

    /// <summary>responsewriters.InternalError: `Internal Server Error: "/request/uri": cause`.</summary>
    public static PlainTextFailure InternalError(string requestUri, string cause) =>
        new(500, Refusals.Sanitize($"Internal Server Error: {GoFormat.Quote(requestUri)}: {cause}"));
}
