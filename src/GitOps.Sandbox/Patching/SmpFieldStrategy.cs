using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.Patching;

/// <summary>The strategic merge metadata of one field: strategy ("merge", "replace" or "") and merge key.</summary>
internal readonly record struct SmpFieldStrategy(SchemaNode Schema, string Strategy, string MergeKey)
{
    public bool IsMerge => Strategy == SmpDirectives.Merge;

    public static SmpFieldStrategy Of(SchemaNode parent, string field)
    {
        var schema = parent.Field(field) ?? SchemaNode.Unknown;
        return new SmpFieldStrategy(schema, Parse(schema.PatchStrategy), schema.PatchMergeKey ?? "");
    }

    /// <summary>apimachinery extractRetainKeysPatchStrategy: drops "retainKeys", keeps the other strategy.</summary>
    private static string Parse(string? strategy)
    {
        if (string.IsNullOrEmpty(strategy)) return "";
        var parts = strategy.Split(',');
        var others = parts.Where(p => p != "retainKeys").ToArray();
        return parts.Length switch
        {
            1 => others.Length == 0 ? "" : others[0],
            2 when others.Length == 1 => others[0],
            _ => throw PatchException.Internal($"unexpected patch strategy: [{string.Join(' ', parts)}]"),
        };
    }
}
