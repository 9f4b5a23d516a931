using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.FieldManagement;

/// <summary>A field the applier wants to change while another manager owns it.</summary>
public sealed record FieldConflict(string Manager, string Field)
{
    public ManagedFieldsOperation Operation { get; init; } = ManagedFieldsOperation.Apply;
    public string? Subresource { get; init; }
    public string? ApiVersion { get; init; }
    public DateTimeOffset? Time { get; init; }

    /// <summary>
    /// The manager as kube-apiserver prints it: <c>"alpha"</c>, or for an updater
    /// <c>"autoscaler" with subresource "scale" using apps/v1</c>.
    /// </summary>
    public string ManagerDescription
    {
        get
        {
            var text = Quote(Manager);
            if (!string.IsNullOrEmpty(Subresource)) text += " with subresource " + Quote(Subresource);
            if (Operation != ManagedFieldsOperation.Update) return text;
            // kube-apiserver clears the time from the manager identifier before it describes a conflict.
            return text + " using " + ApiVersion;
        }
    }

    internal static FieldConflict From(ManagedFieldsEntry entry, FieldPath path) =>
        new(entry.Manager, path.ToString())
        {
            Operation = entry.Operation,
            Subresource = entry.Subresource,
            ApiVersion = entry.ApiVersion,
            Time = entry.Time,
        };

    private static string Quote(string s) => JsonValue.Create(s).ToJsonString(PathElement.Compact);
}
