namespace GitOps.Sandbox.Auth;

/// <summary>
/// What a request asks to do, as the authorizer sees it (authorizer.Attributes): a verb on a
/// resource (group, namespace, resource, subresource, name) or on a non-resource path.
/// </summary>
internal sealed record RequestAttributes(
    UserInfo User,
    string Verb,
    bool IsResourceRequest,
    string Path = "",
    string ApiGroup = "",
    string ApiVersion = "",
    string Namespace = "",
    string Resource = "",
    string Subresource = "",
    string Name = "")
{
    private static readonly HashSet<string> SpecialVerbs = ["proxy", "watch"];
    private static readonly HashSet<string> SpecialVerbsNoSubresources = ["proxy"];
    private static readonly HashSet<string> NamespaceSubresources = ["status", "finalize"];

    /// <summary>
    /// requestinfo.go's NewRequestInfo: /api/{version}/... and /apis/{group}/{version}/... are
    /// resource requests (the verb from the method; a GET without a name is list, or watch with
    /// ?watch; a DELETE without a name deletecollection; a list or watch whose fieldSelector pins
    /// metadata.name carries that name); every other path is a non-resource request whose verb is
    /// the lowercased method.
    /// </summary>
    public static RequestAttributes FromRequest(UserInfo user, string method, string path, Func<string, string?> query)
    {
        var nonResource = new RequestAttributes(user, method.ToLowerInvariant(), false, path);
        var parts = SplitPath(path);
        if (parts.Length < 3 || parts[0] is not ("api" or "apis")) return nonResource;
        var i = 1;
        var group = "";
        if (parts[0] == "apis")
        {
            if (parts.Length < 4) return nonResource;
            group = parts[1];
            i = 2;
        }
        var version = parts[i++];
        string verb;
        if (SpecialVerbs.Contains(parts[i]))
        {
            if (parts.Length - i < 2) return nonResource with { IsResourceRequest = true, ApiGroup = group, ApiVersion = version };
            verb = parts[i++];
        }
        else
        {
            verb = method switch
            {
                "POST" => "create",
                "GET" or "HEAD" => "get",
                "PUT" => "update",
                "PATCH" => "patch",
                "DELETE" => "delete",
                _ => "",
            };
        }
        var rest = parts[i..];
        var ns = "";
        if (rest[0] == "namespaces")
        {
            if (rest.Length > 1)
            {
                ns = rest[1];
                if (rest.Length > 2 && !NamespaceSubresources.Contains(rest[2])) rest = rest[2..];
            }
        }
        var resource = rest[0];
        var name = rest.Length >= 2 ? rest[1] : "";
        var subresource = rest.Length >= 3 && !SpecialVerbsNoSubresources.Contains(verb) ? rest[2] : "";
        if (name.Length == 0 && verb == "get")
        {
            verb = query("watch") is { } watch && watch != "0" && !watch.Equals("false", StringComparison.OrdinalIgnoreCase) ? "watch" : "list";
            if (NameOfFieldSelector(query("fieldSelector")) is { } selected) name = selected;
        }
        if (name.Length == 0 && verb == "delete") verb = "deletecollection";
        return new RequestAttributes(user, verb, true, path, group, version, ns, resource, subresource, name);
    }

    /// <summary>The name a fieldSelector requires exactly (metadata.name=x or ==x), when it is a valid path segment name.</summary>
    private static string? NameOfFieldSelector(string? selector)
    {
        if (string.IsNullOrEmpty(selector)) return null;
        foreach (var term in selector.Split(','))
        {
            var t = term.Trim();
            if (t.Contains("!=", StringComparison.Ordinal)) continue;
            var eq = t.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) continue;
            var key = t[..eq].Trim();
            var value = t[(eq + 1)..].TrimStart('=').Trim();
            if (key != "metadata.name") continue;
            return value is "." or ".." || value.Contains('/', StringComparison.Ordinal) || value.Contains('%', StringComparison.Ordinal) ? null : value;
        }
        return null;
    }

    private static string[] SplitPath(string path)
    {
        var trimmed = path.Trim('/');
        return trimmed.Length == 0 ? [] : trimmed.Split('/');
    }
}
