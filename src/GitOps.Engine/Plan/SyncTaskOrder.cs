namespace GitOps.Engine.Plan;

/// <summary>
/// The one ordering of plan tasks: phase → wave → (within a wave, prunes after everything else) →
/// kind rank (<see cref="KindOrder"/>; reversed for prunes, so dependents go before what they depend
/// on) → namespace → name.
/// </summary>
public sealed class SyncTaskOrder : IComparer<SyncTask>
{
    public static SyncTaskOrder Instance { get; } = new();

    public int Compare(SyncTask? x, SyncTask? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var c = x.Phase.CompareTo(y.Phase);
        if (c != 0) return c;
        c = x.Wave.CompareTo(y.Wave);
        if (c != 0) return c;
        var xPrune = x.Action == SyncAction.Prune;
        c = xPrune.CompareTo(y.Action == SyncAction.Prune);
        if (c != 0) return c;
        c = KindOrder.Rank(x.Key.Kind).CompareTo(KindOrder.Rank(y.Key.Kind));
        if (c != 0) return xPrune ? -c : c;
        c = string.CompareOrdinal(x.Key.Kind, y.Key.Kind);
        if (c != 0) return c;
        c = string.CompareOrdinal(x.Key.Namespace, y.Key.Namespace);
        return c != 0 ? c : string.CompareOrdinal(x.Key.Name, y.Key.Name);
    }

    /// <summary>
    /// Sorts, then moves each Namespace and CRD being applied up to the earliest phase and wave of any
    /// object that needs it (objects in that namespace; custom resources of that CRD), and sorts again.
    /// </summary>
    public static IReadOnlyList<SyncTask> SortWithDependencies(IEnumerable<SyncTask> tasks)
    {
        var list = tasks.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var t = list[i];
            if (t.Action != SyncAction.Apply || t.Desired is null) continue;
            IEnumerable<SyncTask> dependents = t.Key switch
            {
                { Group: "", Kind: "Namespace" } => list.Where(d => d.Action == SyncAction.Apply && d.Key.Namespace == t.Key.Name),
                { Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition" } when CrdTarget(t) is { } gk =>
                    list.Where(d => d.Action == SyncAction.Apply && d.Key.Group == gk.Group && d.Key.Kind == gk.Kind),
                _ => [],
            };
            var earliest = dependents.Select(d => (d.Phase, d.Wave)).DefaultIfEmpty((t.Phase, t.Wave)).Min();
            if (earliest.CompareTo((t.Phase, t.Wave)) < 0)
            {
                list[i] = t with { Phase = earliest.Phase, Wave = earliest.Wave };
            }
        }

        list.Sort(Instance);
        return list;
    }

    private static (string Group, string Kind)? CrdTarget(SyncTask crd)
    {
        var group = crd.Desired!.Get("spec", "group")?.ToString();
        var kind = crd.Desired!.Get("spec", "names", "kind")?.ToString();
        return group is null || kind is null ? null : (group, kind);
    }
}
