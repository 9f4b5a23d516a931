using Microsoft.AspNetCore.Http;

namespace GitOps.Sandbox.Auth;

/// <summary>
/// The apiserver's filter chain in front of every request, in its order: authentication (bearer
/// tokens the sandbox issued), impersonation, then authorisation of the request's attributes.
/// In AlwaysAllow mode the sandbox serves plain HTTP, over which client-go sends no token, and a
/// request without a known token acts as the admin (as kube-apiserver's old insecure port made
/// such requests a superuser); everything is allowed.
/// </summary>
public sealed class AccessControl
{
    internal AccessControl(AuthorizationMode mode, TokenAuthenticator tokens, Authorizer authorizer, UserInfo admin)
    {
        Mode = mode;
        Tokens = tokens;
        Authorizer = authorizer;
        Reviews = new Reviews(authorizer, tokens);
        Admin = admin;
        AdminToken = tokens.Issue(admin);
    }

    public AuthorizationMode Mode { get; }

    internal TokenAuthenticator Tokens { get; }

    internal Authorizer Authorizer { get; }

    internal Reviews Reviews { get; }

    /// <summary>The user of the default kubeconfig, and its token.</summary>
    internal UserInfo Admin { get; }

    internal string AdminToken { get; }

    /// <summary>The attributes of an authenticated, authorised request (its user the one it acts as); throws the refusal otherwise.</summary>
    internal RequestAttributes Admit(HttpRequest request)
    {
        var user = Authenticate(request);
        user = Impersonation.Apply(request, user, Authorizer);
        var attributes = RequestAttributes.FromRequest(user, request.Method, request.Path.Value ?? "/",
            name => request.Query.TryGetValue(name, out var v) ? v.ToString() : null);
        var decision = Authorizer.Authorize(attributes);
        if (!decision.Allowed) throw Refusals.Forbidden(attributes, decision.Reason);
        return attributes;
    }

    private UserInfo Authenticate(HttpRequest request)
    {
        var token = TokenAuthenticator.BearerToken(request.Headers.Authorization.ToString());
        var user = token is null ? null : Tokens.Authenticate(token);
        if (user is not null) return user;
        if (Mode == AuthorizationMode.Rbac) throw Refusals.Unauthorized();
        return Admin;
    }
}
