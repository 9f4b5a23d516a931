using System.Collections.Immutable;
using GitOps.Engine.Model;

namespace GitOps.Engine.Inventory;

/// <summary>
/// What an Application applied last, as a sorted set of keys. Kept in <c>status.inventory</c> in the
/// form <c>&lt;group&gt;/&lt;kind&gt;/&lt;namespace&gt;/&lt;name&gt;</c>; prune works only from it.
/// </summary>
public sealed record Inventory(ImmutableSortedSet<ResourceKey> Keys)
{
    public static Inventory Empty { get; } = new(ImmutableSortedSet<ResourceKey>.Empty);

    public int Count => Keys.Count;

    public static Inventory Of(IEnumerable<ResourceKey> keys) => new(keys.ToImmutableSortedSet());

    /// <summary>Reads <c>status.inventory</c> entries; throws <see cref="FormatException"/> naming a malformed entry.</summary>
    public static Inventory Parse(IEnumerable<string> entries) => Of(entries.Select(ResourceKey.ParseInventory));

    /// <summary>The entries for <c>status.inventory</c>, in key order.</summary>
    public IReadOnlyList<string> ToEntries() => Keys.Select(k => k.ToInventoryString()).ToArray();

    public bool Contains(ResourceKey key) => Keys.Contains(key);

    /// <summary>Keys in <paramref name="previous"/> that <paramref name="current"/> no longer has: the stale objects, in key order.</summary>
    public static IReadOnlyList<ResourceKey> Diff(Inventory previous, Inventory current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        return previous.Keys.Except(current.Keys).ToArray();
    }

    public bool Equals(Inventory? other) => other is not null && Keys.SetEquals(other.Keys);

    public override int GetHashCode() => Keys.Aggregate(Keys.Count, (h, k) => HashCode.Combine(h, k));

    /// <summary>One key per line.</summary>
    public override string ToString() => string.Join('\n', Keys);
}
