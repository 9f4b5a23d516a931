using Microsoft.AspNetCore.Http;

namespace GitOps.Sandbox.Auth;

/// <summary>
/// impersonation.go: Impersonate-User (a service account when it parses as one), Impersonate-Group,
/// Impersonate-Extra-* and Impersonate-Uid, each authorised as the verb `impersonate` on users,
/// serviceaccounts (in the account's namespace), groups, userextras/KEY or uids before the
/// request acts as the impersonated user.
/// </summary>
internal static class Impersonation
{
    private const string UserHeader = "Impersonate-User";
    private const string GroupHeader = "Impersonate-Group";
    private const string UidHeader = "Impersonate-Uid";
    private const string ExtraPrefix = "Impersonate-Extra-";
    private const string AuthenticationV1 = "authentication.k8s.io/v1";

    /// <summary>One thing asked for: an ObjectReference as buildImpersonationRequests makes it.</summary>
    private sealed record Wanted(string Kind, string Namespace, string Name, string ApiVersion = "", string FieldPath = "")
    {
        // Go's %v of a v1.ObjectReference: {Kind Namespace Name UID APIVersion ResourceVersion FieldPath}.
        public override string ToString() => "{" + string.Join(' ', Kind, Namespace, Name, "", ApiVersion, "", FieldPath) + "}";
    }

    /// <summary>The user the request acts as: <paramref name="requestor"/> itself when nothing is impersonated.</summary>
    public static UserInfo Apply(HttpRequest request, UserInfo requestor, Authorizer authorizer)
    {
        var wanted = Requests(request);
        if (wanted.Count == 0) return requestor;

        var groupsSpecified = request.Headers[GroupHeader].Count > 0;
        var username = "";
        var uid = "";
        var groups = new List<string>();
        var extra = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var w in wanted)
        {
            var group = w.ApiVersion.Contains('/', StringComparison.Ordinal) ? w.ApiVersion[..w.ApiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
            var acting = new RequestAttributes(requestor, "impersonate", true, ApiGroup: group,
                ApiVersion: w.ApiVersion.Contains('/', StringComparison.Ordinal) ? w.ApiVersion[(w.ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..] : "",
                Namespace: w.Namespace, Name: w.Name);
            switch (w.Kind)
            {
                case "ServiceAccount":
                    acting = acting with { Resource = "serviceaccounts" };
                    username = UserInfo.ServiceAccountName(w.Namespace, w.Name);
                    if (!groupsSpecified) groups = [.. UserInfo.ServiceAccountGroups(w.Namespace)];
                    break;
                case "User":
                    acting = acting with { Resource = "users" };
                    username = w.Name;
                    break;
                case "Group":
                    acting = acting with { Resource = "groups" };
                    groups.Add(w.Name);
                    break;
                case "UserExtra":
                    acting = acting with { Resource = "userextras", Subresource = w.FieldPath };
                    if (!extra.TryGetValue(w.FieldPath, out var values)) extra[w.FieldPath] = values = [];
                    values.Add(w.Name);
                    break;
                case "UID":
                    acting = acting with { Resource = "uids" };
                    uid = w.Name;
                    break;
            }
            var decision = authorizer.Authorize(acting);
            if (!decision.Allowed) throw Refusals.Forbidden(acting, decision.Reason);
        }

        if (username != UserInfo.Anonymous)
        {
            if (!groups.Contains(UserInfo.AllAuthenticated, StringComparer.Ordinal) && !groups.Contains(UserInfo.AllUnauthenticated, StringComparer.Ordinal))
                groups.Add(UserInfo.AllAuthenticated);
        }
        else if (!groups.Contains(UserInfo.AllUnauthenticated, StringComparer.Ordinal)) groups.Add(UserInfo.AllUnauthenticated);
        return new UserInfo(username, uid, groups, extra.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal));
    }

    /// <summary>buildImpersonationRequests: the user, each group, each extra value, the uid; groups, extras or a uid without a user are a 500.</summary>
    private static List<Wanted> Requests(HttpRequest request)
    {
        var wanted = new List<Wanted>();
        var user = request.Headers[UserHeader].FirstOrDefault() ?? "";
        var hasUser = user.Length > 0;
        if (hasUser)
            wanted.Add(UserInfo.TrySplitServiceAccount(user, out var ns, out var name) ? new Wanted("ServiceAccount", ns, name) : new Wanted("User", "", user));
        var groups = request.Headers[GroupHeader];
        foreach (var g in groups) wanted.Add(new Wanted("Group", "", g ?? ""));
        var hasExtra = false;
        foreach (var (header, values) in request.Headers)
        {
            if (!header.StartsWith(ExtraPrefix, StringComparison.OrdinalIgnoreCase)) continue;
            hasExtra = true;
            var key = header[ExtraPrefix.Length..].ToLowerInvariant();
            try { key = Uri.UnescapeDataString(key); } catch (UriFormatException) { }
            foreach (var v in values) wanted.Add(new Wanted("UserExtra", "", v ?? "", AuthenticationV1, key));
        }
        var uid = request.Headers[UidHeader].FirstOrDefault() ?? "";
        if (uid.Length > 0) wanted.Add(new Wanted("UID", "", uid, AuthenticationV1));
        if ((groups.Count > 0 || hasExtra || uid.Length > 0) && !hasUser)
            throw PlainTextFailure.InternalError(request.Path + request.QueryString, $"requested [{string.Join(' ', wanted)}] without impersonating a user");
        return wanted;
    }
}
