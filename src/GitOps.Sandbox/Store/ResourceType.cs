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

    /// <summary>Versions of one group share storage: this is the storage key of the kind.</summary>
    public GroupResource GroupResource => new(Group, Plural);

    /// <summary>"deployments.apps" or "configmaps", as Status details and messages name it.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>"Deployment.apps" or "ConfigMap", as Invalid messages name the kind.</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";
}

public readonly record struct GroupResource(string Group, string Resource);
