using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>
/// One entry of a Status' <c>details.causes</c>: <paramref name="Reason"/> is the cause type
/// (FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, ...), <paramref name="Message"/>
/// the error body ("Required value", "Invalid value: \"x\": ...") and <paramref name="Field"/> the path.
/// </summary>
public sealed record StatusCause(string Reason, string Message, string Field)
{
    /// <summary>"field: message", as a field error prints in the aggregated Status message.</summary>
    public override string ToString() => Field.Length == 0 ? Message : $"{Field}: {Message}";
}

/// <summary>Builds the 422 Invalid Status the way apimachinery's errors.NewInvalid does.</summary>
public static class AdmissionStatus
{
    /// <summary>
    /// <c>Kind.group "name" is invalid: [a, b]</c>, or without brackets for a single distinct cause,
    /// or <c>... is invalid</c> alone when there are none. Identical cause strings are printed once.
    /// </summary>
    public static string InvalidMessage(string kindWithGroup, string name, IEnumerable<StatusCause> causes)
    {
        var distinct = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in causes)
        {
            var s = c.ToString();
            if (seen.Add(s)) distinct.Add(s);
        }
        var head = $"{kindWithGroup} {GoFormat.Quote(name)} is invalid";
        return distinct.Count switch
        {
            0 => head,
            1 => $"{head}: {distinct[0]}",
            _ => $"{head}: [{string.Join(", ", distinct)}]",
        };
    }

    /// <summary>"Kind.group", or "Kind" for the core group.</summary>
    public static string KindWithGroup(string group, string kind) => group.Length == 0 ? kind : $"{kind}.{group}";

    /// <summary>The whole 422 Status body of kube-apiserver for these causes.</summary>
    public static JsonObject InvalidStatus(string group, string kind, string name, IReadOnlyList<StatusCause> causes)
    {
        var details = new JsonObject();
        if (name.Length > 0) details["name"] = name;
        if (group.Length > 0) details["group"] = group;
        if (kind.Length > 0) details["kind"] = kind;
        var list = new JsonArray();
        foreach (var c in causes)
        {
            var o = new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message };
            if (c.Field.Length > 0) o["field"] = c.Field;
            list.Add((JsonNode)o);
        }
        details["causes"] = list;
        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = InvalidMessage(KindWithGroup(group, kind), name, causes),
            ["reason"] = "Invalid",
            ["details"] = details,
            ["code"] = 422,
        };
    }
}
