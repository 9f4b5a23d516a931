using System.Text.Json.Nodes;
using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.FieldManagement;

/// <summary>
/// Server-side apply and managedFields bookkeeping with structured-merge-diff semantics. Pure
/// functions: inputs are never modified; results carry their metadata.managedFields.
/// </summary>
public static class FieldManager
{
    /// <summary>
    /// Applies <paramref name="applied"/> for <paramref name="manager"/> on top of <paramref name="live"/>
    /// (null to create). On conflicts without <paramref name="force"/> the result is null.
    /// </summary>
    public static ApplyOutcome Apply(JsonObject? live, JsonObject applied, string manager, bool force, SchemaNode schema,
        DateTimeOffset now, string? subresource = null)
    {
        var apiVersion = applied["apiVersion"]?.GetValue<string>() ?? live?["apiVersion"]?.GetValue<string>() ?? "";
        var builtIn = GoZeroValues.IsBuiltIn(apiVersion);
        var entries = ManagedFieldsCodec.Read(live) ?? [];
        var self = new ManagedFieldsEntry(manager, ManagedFieldsOperation.Apply, apiVersion, null, new FieldSet(), subresource);
        var previous = entries.FirstOrDefault(e => e.SameManager(self));
        var others = entries.Where(e => !e.SameManager(self)).ToList();

        var kind = applied["kind"]?.GetValue<string>() ?? live?["kind"]?.GetValue<string>() ?? "";
        var resets = TrackedFields.StatusResets(apiVersion, kind);
        var liveObject = WithoutManagedFields(live);
        var config = TrackedFields.ResetFields(applied, subresource, resets);
        var merged = (JsonObject)ObjectMerger.Merge(liveObject ?? new JsonObject(), config, schema)!;
        var newSet = TrackedFields.Filter(FieldSetBuilder.From(config, schema), subresource, resets);

        if (previous is not null)
        {
            var owned = others.Aggregate(newSet.Clone(), (set, e) => set.Union(e.Fields));
            var toRemove = new FieldSet();
            CollectUnowned(previous.Fields, owned, toRemove, []);
            ItemRemover.Remove(merged, toRemove, schema);
        }

        var comparison = Comparison.Of(GoZeroValues.Fill(liveObject, schema, builtIn, apiVersion, kind), GoZeroValues.Fill(merged, schema, builtIn, apiVersion, kind), schema);
        var changed = TrackedFields.Filter(comparison.Changed, subresource, resets);
        var removed = TrackedFields.Filter(comparison.Removed, subresource, resets);

        var conflicts = new List<FieldConflict>();
        var updated = new List<ManagedFieldsEntry>();
        foreach (var other in others.OrderBy(e => e.Manager, StringComparer.Ordinal).ThenBy(e => e.Operation))
        {
            var clash = other.Fields.Intersection(changed);
            conflicts.AddRange(clash.Paths().Select(p => FieldConflict.From(other, p)));
            updated.Add(other with { Fields = other.Fields.Difference(clash).Difference(removed) });
        }
        if (conflicts.Count > 0 && !force) return new ApplyOutcome(null, conflicts);

        var objectChanged = live is null || !JsonNode.DeepEquals(liveObject, merged);
        var time = objectChanged ? Truncate(now) : previous?.Time;
        updated.Add(self with { Fields = newSet, Time = time });
        ManagedFieldsCodec.Write(merged, updated.Where(e => !e.Fields.IsEmpty), sortedKeys: !builtIn);
        return new ApplyOutcome(merged, []);
    }

    /// <summary>
    /// Records a create, update or non-apply patch by <paramref name="manager"/>: what it added or
    /// changed becomes its own and is taken from every other manager; what it removed is dropped
    /// from every set. Returns a copy of <paramref name="updated"/> with the new managedFields.
    /// </summary>
    public static JsonObject Update(JsonObject? live, JsonObject updated, string manager, DateTimeOffset now, SchemaNode schema,
        string? subresource = null)
    {
        var apiVersion = updated["apiVersion"]?.GetValue<string>() ?? live?["apiVersion"]?.GetValue<string>() ?? "";
        var builtIn = GoZeroValues.IsBuiltIn(apiVersion);
        // A request that carries managedFields replaces them; one that omits them keeps the live ones.
        var entries = ManagedFieldsCodec.Read(updated) ?? ManagedFieldsCodec.Read(live) ?? [];

        var kind = updated["kind"]?.GetValue<string>() ?? live?["kind"]?.GetValue<string>() ?? "";
        var resets = TrackedFields.StatusResets(apiVersion, kind);
        var comparison = Comparison.Of(GoZeroValues.Fill(live, schema, builtIn, apiVersion, kind), GoZeroValues.Fill(updated, schema, builtIn, apiVersion, kind), schema);
        var changed = TrackedFields.Filter(comparison.Changed, subresource, resets);
        var removed = TrackedFields.Filter(comparison.Removed, subresource, resets);

        var self = new ManagedFieldsEntry(manager, ManagedFieldsOperation.Update, apiVersion, null, new FieldSet(), subresource);
        var result = new List<ManagedFieldsEntry>();
        ManagedFieldsEntry? previous = null;
        foreach (var entry in entries)
        {
            var kept = entry with { Fields = entry.Fields.Difference(changed).Difference(removed) };
            if (entry.SameManager(self)) previous = kept;
            else result.Add(kept);
        }
        var fields = (previous?.Fields ?? new FieldSet()).Union(changed);
        var time = changed.IsEmpty ? previous?.Time : Truncate(now);
        result.Add(self with { Fields = fields, Time = time });

        var output = (JsonObject)updated.DeepClone();
        ManagedFieldsCodec.Write(output, result.Where(e => !e.Fields.IsEmpty), sortedKeys: !builtIn);
        return output;
    }

    /// <summary>Paths of the previous apply that nobody owns any more, not even through a descendant.</summary>
    private static void CollectUnowned(FieldSet last, FieldSet? owned, FieldSet into, List<PathElement> path)
    {
        foreach (var (element, child) in last.Children)
        {
            FieldSet? ownedChild = null;
            owned?.Children.TryGetValue(element, out ownedChild);
            path.Add(element);
            if (child.IsMember && (ownedChild is null || ownedChild.IsEmpty)) into.Insert(path);
            else CollectUnowned(child, ownedChild, into, path);
            path.RemoveAt(path.Count - 1);
        }
    }

    private static JsonObject? WithoutManagedFields(JsonObject? obj)
    {
        if (obj?.DeepClone() is not JsonObject copy) return null;
        if (copy["metadata"] is JsonObject metadata) metadata.Remove("managedFields");
        return copy;
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) =>
        new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
