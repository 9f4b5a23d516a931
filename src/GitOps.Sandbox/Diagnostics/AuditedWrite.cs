namespace GitOps.Sandbox.Diagnostics;

/// <summary>
/// One admitted write as the API server's audit log records it: the user it acted as (after
/// impersonation), the verb and object, and the answer's status code.
/// </summary>
public sealed record AuditedWrite(string User, IReadOnlyList<string> Groups, string Uid, string Verb, string Resource, string Namespace, string Name, int Code)
{
    public static bool IsWrite(string verb) => verb is "create" or "update" or "patch" or "delete" or "deletecollection";

    public override string ToString() => $"{User} {Verb} {Resource} {Namespace}/{Name} → {Code}";
}
