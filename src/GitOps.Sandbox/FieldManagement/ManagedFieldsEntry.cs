namespace GitOps.Sandbox.FieldManagement;

/// <summary>One entry of metadata.managedFields: the fields one manager owns through one kind of operation.</summary>
public sealed record ManagedFieldsEntry(
    string Manager,
    ManagedFieldsOperation Operation,
    string ApiVersion,
    DateTimeOffset? Time,
    FieldSet Fields,
    string? Subresource = null)
{
    /// <summary>
    /// Whether two entries belong to the same manager as kube-apiserver keys them: appliers by name
    /// and subresource, updaters also by apiVersion.
    /// </summary>
    public bool SameManager(ManagedFieldsEntry other) =>
        Manager == other.Manager && Operation == other.Operation && (Subresource ?? "") == (other.Subresource ?? "") &&
        (Operation == ManagedFieldsOperation.Apply || ApiVersion == other.ApiVersion);
}
