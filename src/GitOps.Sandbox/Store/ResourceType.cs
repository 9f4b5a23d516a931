namespace GitOps.Sandbox.Store;

/// <summary>One served resource (a group/version/plural), as discovery describes it.</summary>
public sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories,
    bool HasStatus,
    bool HasScale,
    bool IsCustom,
    string? StorageVersionHash = null)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => Kind + "List";

    /// <summary>
    /// The storage key of the kind: versions of one group share storage, and a resource served
    /// from another's storage (<see cref="SharedStorage"/>) has that one's key.
    /// </summary>
    public GroupResource GroupResource => SharedStorage.Of(ServedResource);

    /// <summary>
    /// The group and resource of the request, which the registry's NotFound, AlreadyExists and Conflict
    /// errors name (qualifiedResourceFromContext) even where the storage is another resource's.
    /// </summary>
    public GroupResource ServedResource => new(Group, Plural);

    /// <summary>"deployments.apps", "configmaps" or "events.events.k8s.io", as Status details and messages name it: the served resource.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>"Deployment.apps" or "ConfigMap", as Invalid messages name the kind: in the storage's group.</summary>
    public string QualifiedKind => GroupResource.Group.Length == 0 ? Kind : $"{Kind}.{GroupResource.Group}";
}

public readonly record struct GroupResource(string Group, string Resource);
