using System.Text.Json.Nodes;
using GitOps.Engine.Model;

namespace GitOps.Operator.Apply;

public enum ChangeAction
{
    Applied,
    /// <summary>Deleted and created again: an update hit an immutable field and Force=true allowed it.</summary>
    Recreated,
    Pruned,
    Failed,
}

/// <summary>What the apply stage did to one object: the action, the object as the server returned it, or the error.</summary>
public sealed record Change(ResourceKey Subject, ChangeAction Action, JsonObject? Live = null, string? Error = null);

/// <summary>What the apply stage did, one entry per object, in the order it happened.</summary>
public sealed record ChangeSet(IReadOnlyList<Change> Changes)
{
    public static ChangeSet Empty { get; } = new([]);

    /// <summary>Objects applied (re-created ones too).</summary>
    public IEnumerable<ResourceKey> Applied => Changes.Where(c => c.Action is ChangeAction.Applied or ChangeAction.Recreated).Select(c => c.Subject);
    public IEnumerable<ResourceKey> Recreated => Of(ChangeAction.Recreated);
    public IEnumerable<ResourceKey> Pruned => Of(ChangeAction.Pruned);

    public IReadOnlyDictionary<ResourceKey, string> Errors =>
        Changes.Where(c => c.Action == ChangeAction.Failed).GroupBy(c => c.Subject).ToDictionary(g => g.Key, g => g.Last().Error ?? "");

    /// <summary>The objects as the API server answered the applies.</summary>
    public IReadOnlyDictionary<ResourceKey, JsonObject> LiveAfter =>
        Changes.Where(c => c.Live is not null).GroupBy(c => c.Subject).ToDictionary(g => g.Key, g => g.Last().Live!);

    private IEnumerable<ResourceKey> Of(ChangeAction action) => Changes.Where(c => c.Action == action).Select(c => c.Subject);
}

/// <summary>Collects the changes of one plan as they happen (applies run in parallel).</summary>
internal sealed class ChangeLog
{
    private readonly List<Change> _changes = [];

    public void Add(Change change)
    {
        lock (_changes) _changes.Add(change);
    }

    public ChangeSet ToChangeSet()
    {
        lock (_changes) return new ChangeSet([.. _changes]);
    }
}
