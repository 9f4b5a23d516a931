using System.Text.Json.Nodes;

namespace GitOps.Sandbox.FieldManagement;

/// <summary>The result of a server-side apply: the new object, or the conflicts that refused it.</summary>
public sealed record ApplyOutcome(JsonObject? Result, IReadOnlyList<FieldConflict> Conflicts)
{
    public bool HasConflicts => Conflicts.Count > 0;

    /// <summary>The 409 message exactly as kube-apiserver words it (null without conflicts).</summary>
    public string? ConflictMessage
    {
        get
        {
            if (Conflicts.Count == 0) return null;
            if (Conflicts.Count == 1)
                return $"Apply failed with 1 conflict: conflict with {Conflicts[0].ManagerDescription}: {Conflicts[0].Field}";
            var lines = new List<string>();
            foreach (var group in Conflicts.GroupBy(c => c.ManagerDescription).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                lines.Add($"conflicts with {group.Key}:");
                lines.AddRange(group.Select(c => "- " + c.Field));
            }
            return $"Apply failed with {Conflicts.Count} conflicts: {string.Join("\n", lines)}";
        }
    }

    /// <summary>The details.causes of the Conflict Status, one per conflicting field.</summary>
    public JsonArray Causes() => new(Conflicts.Select(c => (JsonNode)new JsonObject
    {
        ["reason"] = "FieldManagerConflict",
        ["message"] = "conflict with " + c.ManagerDescription,
        ["field"] = c.Field,
    }).ToArray());

    /// <summary>The whole 409 Status body kube-apiserver answers with (null without conflicts).</summary>
    public JsonObject? ConflictStatus() => Conflicts.Count == 0 ? null : new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = ConflictMessage,
        ["reason"] = "Conflict",
        ["details"] = new JsonObject { ["causes"] = Causes() },
        ["code"] = 409,
    };
}
