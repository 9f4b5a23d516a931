using System.Text.Json.Nodes;
using GitOps.Engine.Model;

namespace GitOps.Engine.Diff;

/// <summary>
/// ignoreDifferences held at apply time too (Argo CD's RespectIgnoreDifferences): a field a rule
/// ignores is neither reported nor taken back. For an object that exists, each ignored JSON pointer
/// gets the live value (or is left out when the live object has none), so the apply neither reverts
/// it nor, by leaving a field it owned, lets the server reset it to a default; fields owned by an
/// ignored manager are left out (that manager keeps them). A new object is created as Git says.
/// </summary>
public static class IgnoredFields
{
    public static JsonObject Respect(JsonObject desired, JsonObject? live, IReadOnlyList<IgnoreDifference> rules)
    {
        if (live is null) return desired;
        var key = ResourceKey.Of(desired);
        var matching = rules.Where(r => r.Matches(key)).ToList();
        if (matching.Count == 0) return desired;
        var result = (JsonObject)desired.DeepClone();
        foreach (var rule in matching)
        {
            foreach (var pointer in rule.JsonPointers ?? [])
            {
                var tokens = Json.ParsePointer(pointer);
                if (Json.GetAt(live, tokens) is { } value && Json.SetAt(result, tokens, value.DeepClone())) continue;
                Json.RemoveAt(result, tokens);
            }

            if (rule.ManagedFieldsManagers is { Count: > 0 } managers)
                FieldSet.OwnedBy(live, e => managers.Contains(e["manager"]?.ToString() ?? "")).RemoveFrom(result);
        }

        return result;
    }
}
