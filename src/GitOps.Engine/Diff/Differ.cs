using System.Text.Json.Nodes;
using GitOps.Engine.Model;

namespace GitOps.Engine.Diff;

/// <summary>
/// Compares the object a server-side apply dry-run returned (<c>predicted</c>) with the live one.
/// The dry-run already carries server defaults and every field another manager owns, so after both
/// pass the normalizer chain a difference can only be in a field our manager sets. Steps:
/// 1. missing live → Modified (Missing);
/// 2. remember ownership (managedFields) before the chain strips it;
/// 3. normalize both sides;
/// 4. when our manager appears in either object's managedFields, keep only the fields it owns in either;
/// 5. remove fields named by matching <see cref="IgnoreDifference"/> rules (JSON pointers, and fields
///    the named managers own in the live object);
/// 6. list the JSON pointers that differ.
/// </summary>
public static class Differ
{
    public static DiffResult Compare(JsonObject predicted, JsonObject? live, DiffOptions options)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(options);
        var normPredicted = options.Normalizers.Normalize(predicted);
        if (live is null)
        {
            return new DiffResult(true, [""], null, normPredicted, DiffResult.MissingReason);
        }

        var normLive = options.Normalizers.Normalize(live);
        var key = ResourceKey.Of(predicted);

        // Step 4: scope to our fields.
        bool IsOurs(JsonObject entry) => entry["manager"]?.ToString() == options.FieldManager && IsMainResource(entry);
        var ours = FieldSet.OwnedBy(predicted, IsOurs);
        ours.UnionWith(FieldSet.OwnedBy(live, IsOurs));
        JsonObject comparePredicted = normPredicted, compareLive = normLive;
        if (!ours.IsEmpty)
        {
            comparePredicted = Scope(ours, normPredicted);
            compareLive = Scope(ours, normLive);
        }
        else
        {
            comparePredicted = (JsonObject)normPredicted.DeepClone();
            compareLive = (JsonObject)normLive.DeepClone();
        }

        // Step 5: ignoreDifferences.
        foreach (var rule in options.IgnoreDifferences.Where(r => r.Matches(key)))
        {
            foreach (var pointer in rule.JsonPointers ?? [])
            {
                var tokens = Json.ParsePointer(pointer);
                Json.RemoveAt(comparePredicted, tokens);
                Json.RemoveAt(compareLive, tokens);
            }

            if (rule.ManagedFieldsManagers is { Count: > 0 } managers)
            {
                var theirs = FieldSet.OwnedBy(live, e => managers.Contains(e["manager"]?.ToString() ?? ""));
                theirs.RemoveFrom(comparePredicted);
                theirs.RemoveFrom(compareLive);
            }
        }

        var changed = new List<string>();
        CollectChanges(comparePredicted, compareLive, "", changed);
        return changed.Count == 0
            ? new DiffResult(false, [], normLive, normPredicted, DiffResult.InSyncReason)
            : new DiffResult(true, changed, normLive, normPredicted, DiffResult.ModifiedReason);
    }

    private static bool IsMainResource(JsonObject entry) =>
        entry["subresource"] is not JsonValue s || s.ToString().Length == 0;

    private static JsonObject Scope(FieldSet ours, JsonObject obj)
    {
        var scoped = ours.Project(obj) as JsonObject ?? [];
        // Identity is always compared: it is what makes the two objects the same object.
        foreach (var f in new[] { "apiVersion", "kind" })
        {
            if (obj[f] is { } v) scoped[f] = v.DeepClone();
        }

        return scoped;
    }

    private static void CollectChanges(JsonNode? predicted, JsonNode? live, string path, List<string> into)
    {
        switch (predicted, live)
        {
            case (JsonObject p, JsonObject l):
                foreach (var name in p.Select(x => x.Key).Union(l.Select(x => x.Key)).Order(StringComparer.Ordinal))
                {
                    var hasP = p.TryGetPropertyValue(name, out var pv);
                    var hasL = l.TryGetPropertyValue(name, out var lv);
                    var child = path + "/" + Json.EscapePointer(name);
                    if (hasP && hasL) CollectChanges(pv, lv, child, into);
                    else into.Add(child);
                }

                break;
            case (JsonArray p, JsonArray l):
                for (var i = 0; i < Math.Max(p.Count, l.Count); i++)
                {
                    var child = path + "/" + i;
                    if (i < p.Count && i < l.Count) CollectChanges(p[i], l[i], child, into);
                    else into.Add(child);
                }

                break;
            default:
                if (!Json.DeepEquals(predicted, live)) into.Add(path);
                break;
        }
    }
}
