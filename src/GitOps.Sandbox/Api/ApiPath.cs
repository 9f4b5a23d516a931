namespace GitOps.Sandbox.Api;

/// <summary>
/// A parsed resource URL: /api/v1/... or /apis/{group}/{version}/..., then
/// [namespaces/{ns}/]{resource}[/{name}[/{subresource}]].
/// </summary>
public sealed record ApiPath(string Group, string Version, string? Namespace, string Resource, string? Name, string? Subresource)
{
    public static ApiPath? Parse(string path)
    {
        var parts = path.Trim('/').Split('/');
        int i;
        string group, version;
        if (parts.Length >= 3 && parts[0] == "api") { group = ""; version = parts[1]; i = 2; }
        else if (parts.Length >= 4 && parts[0] == "apis") { group = parts[1]; version = parts[2]; i = 3; }
        else return null;

        var rest = parts[i..];
        string? ns = null;
        // "namespaces/{ns}/{resource}..." addresses namespaced objects; "namespaces[/{name}[/sub]]" the namespaces themselves.
        if (rest.Length >= 3 && rest[0] == "namespaces" && !(group.Length == 0 && rest.Length == 3 && rest[2] is "status" or "finalize"))
        {
            ns = rest[1];
            rest = rest[2..];
        }
        if (rest.Length is 0 or > 3 || rest.Any(p => p.Length == 0)) return null;
        return new ApiPath(group, version, ns, rest[0], rest.Length > 1 ? rest[1] : null, rest.Length > 2 ? rest[2] : null);
    }
}
