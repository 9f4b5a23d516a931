namespace GitOps.Sandbox.FieldManagement;

/// <summary>
/// A set of field paths stored as a tree. A node is a member when the path ending there is in the
/// set; a node can be a member and have children (FieldsV1 writes that as <c>".": {}</c>).
/// </summary>
public sealed class FieldSet
{
    private readonly SortedDictionary<PathElement, FieldSet> _children = new(PathElementComparer.Instance);

    /// <summary>Whether the path that leads to this node is itself in the set (meaningless at the root).</summary>
    public bool IsMember { get; private set; }

    public IReadOnlyDictionary<PathElement, FieldSet> Children => _children;

    public bool IsEmpty => !IsMember && _children.Count == 0;

    public void Insert(FieldPath path) => Insert(path.Elements, 0);

    public void Insert(IReadOnlyList<PathElement> path, int from = 0)
    {
        var node = this;
        for (var i = from; i < path.Count; i++) node = node.Child(path[i]);
        node.IsMember = true;
    }

    internal FieldSet Child(PathElement element)
    {
        if (!_children.TryGetValue(element, out var child)) _children[element] = child = new FieldSet();
        return child;
    }

    internal void MarkMember() => IsMember = true;

    /// <summary>Removes a path and everything under it, then any parent left empty.</summary>
    public void RemoveSubtree(params PathElement[] path)
    {
        if (path.Length == 0) return;
        if (!_children.TryGetValue(path[0], out var child)) return;
        if (path.Length == 1) { _children.Remove(path[0]); return; }
        child.RemoveSubtree(path[1..]);
        if (child.IsEmpty) _children.Remove(path[0]);
    }

    /// <summary>Takes a top-level element out of the set as a member, keeping its children (dropping it when none are left).</summary>
    public void Unmark(PathElement element)
    {
        if (!_children.TryGetValue(element, out var child)) return;
        child.IsMember = false;
        if (child.IsEmpty) _children.Remove(element);
    }

    public bool Has(FieldPath path)
    {
        var node = this;
        foreach (var e in path.Elements)
            if (!node._children.TryGetValue(e, out node!)) return false;
        return node.IsMember;
    }

    /// <summary>Whether the path is a member or a prefix of a member.</summary>
    public bool HasPrefix(IReadOnlyList<PathElement> path, int count)
    {
        var node = this;
        for (var i = 0; i < count; i++)
            if (!node._children.TryGetValue(path[i], out node!)) return false;
        return !node.IsEmpty;
    }

    /// <summary>Every member path, parents before children, in FieldsV1 order.</summary>
    public IEnumerable<FieldPath> Paths() => Walk([]);

    private IEnumerable<FieldPath> Walk(List<PathElement> prefix)
    {
        foreach (var (element, child) in _children)
        {
            prefix.Add(element);
            if (child.IsMember) yield return new FieldPath(prefix.ToArray());
            foreach (var p in child.Walk(prefix)) yield return p;
            prefix.RemoveAt(prefix.Count - 1);
        }
    }

    public FieldSet Clone()
    {
        var copy = new FieldSet { IsMember = IsMember };
        foreach (var (e, c) in _children) copy._children[e] = c.Clone();
        return copy;
    }

    public FieldSet Union(FieldSet other)
    {
        var result = Clone();
        result.UnionWith(other);
        return result;
    }

    public void UnionWith(FieldSet other)
    {
        IsMember |= other.IsMember;
        foreach (var (e, c) in other._children) Child(e).UnionWith(c);
    }

    /// <summary>Members of this set that are not members of <paramref name="other"/>.</summary>
    public FieldSet Difference(FieldSet other)
    {
        var result = new FieldSet { IsMember = IsMember && !other.IsMember };
        foreach (var (e, c) in _children)
        {
            var d = other._children.TryGetValue(e, out var oc) ? c.Difference(oc) : c.Clone();
            if (!d.IsEmpty) result._children[e] = d;
        }
        return result;
    }

    public FieldSet Intersection(FieldSet other)
    {
        var result = new FieldSet { IsMember = IsMember && other.IsMember };
        foreach (var (e, c) in _children)
        {
            if (!other._children.TryGetValue(e, out var oc)) continue;
            var i = c.Intersection(oc);
            if (!i.IsEmpty) result._children[e] = i;
        }
        return result;
    }

    /// <summary>The subtree under one top-level element, or an empty set.</summary>
    public FieldSet Under(PathElement element) =>
        _children.TryGetValue(element, out var c) ? c.Clone() : new FieldSet();

    /// <summary>This set without the subtree of one top-level element.</summary>
    public FieldSet Without(PathElement element)
    {
        var copy = Clone();
        copy._children.Remove(element);
        return copy;
    }

    /// <summary>Only the subtree of one top-level element (kept under that element).</summary>
    public FieldSet Only(PathElement element)
    {
        var result = new FieldSet();
        if (_children.TryGetValue(element, out var c)) result._children[element] = c.Clone();
        return result;
    }

    public bool SetEquals(FieldSet other) =>
        IsMember == other.IsMember && _children.Count == other._children.Count &&
        _children.All(p => other._children.TryGetValue(p.Key, out var oc) && p.Value.SetEquals(oc));

    public override string ToString() => FieldsV1.Write(this).ToJsonString();
}
