namespace GitOps.Sandbox;

/// <summary>How the sandbox authorises requests (kube-apiserver's --authorization-mode).</summary>
public enum AuthorizationMode
{
    /// <summary>Every request is allowed, with or without a token (the default).</summary>
    AlwaysAllow,

    /// <summary>
    /// Requests must carry a token the sandbox issued (401 otherwise) and are authorised by the
    /// stored Roles, ClusterRoles and bindings as kube-apiserver's RBAC authorizer does; members of
    /// system:masters may do anything.
    /// </summary>
    Rbac,
}
