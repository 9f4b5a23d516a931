namespace GitOps.Testing.Architecture;

/// <summary>One folder using another: how many type uses lie behind it, and the first of them as an example to start from.</summary>
internal sealed record FolderEdge(string From, string To, string Example, int UseCount)
{
    public override string ToString() =>
        $"{From} -> {To} ({Example}{(UseCount > 1 ? $"; {UseCount - 1} more type uses" : "")})";
}

/// <summary>Folders that reach one another, and every edge between them: removing enough of those edges breaks the cycle.</summary>
internal sealed record FolderCycle(IReadOnlyList<string> Folders, IReadOnlyList<FolderEdge> Edges)
{
    public override string ToString() =>
        $"cycle among {string.Join(", ", Folders)}:" + string.Concat(Edges.Select(e => $"\n  {e}"));
}

/// <summary>
/// Which folders use which others. A folder is the first namespace segment under the root namespace
/// (<c>GitOps.Operator.Controller.Queue</c> is in <c>Controller</c>); types in the root namespace
/// itself or outside it belong to no folder, and uses within one folder are not edges.
/// </summary>
internal sealed class FolderGraph
{
    private readonly IReadOnlyList<FolderEdge> _edges;

    private FolderGraph(IReadOnlyList<FolderEdge> edges) => _edges = edges;

    public static FolderGraph Of(IEnumerable<TypeDependency> dependencies, string rootNamespace)
    {
        var edges = dependencies
            .Select(d => (From: FolderOf(d.From, rootNamespace), To: FolderOf(d.To, rootNamespace), Use: d))
            .Where(d => d.From is not null && d.To is not null && d.From != d.To)
            .GroupBy(d => (From: d.From!, To: d.To!), d => d.Use)
            .Select(g => new FolderEdge(g.Key.From, g.Key.To, $"{Relative(g.First().From, rootNamespace)} uses {Relative(g.First().To, rootNamespace)}", g.Count()))
            .OrderBy(e => e.From, StringComparer.Ordinal)
            .ThenBy(e => e.To, StringComparer.Ordinal)
            .ToArray();
        return new(edges);
    }

    public IReadOnlyList<FolderCycle> Cycles()
    {
        var successors = _edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => (IReadOnlyCollection<string>)g.Select(e => e.To).ToArray());
        return StronglyConnectedComponents.Of(successors)
            .Where(component => component.Count > 1)
            .Select(component => component.Order(StringComparer.Ordinal).ToArray())
            .OrderBy(folders => folders[0], StringComparer.Ordinal)
            .Select(folders => new FolderCycle(folders, _edges.Where(e => folders.Contains(e.From) && folders.Contains(e.To)).ToArray()))
            .ToArray();
    }

    private static string Relative(TypeName type, string rootNamespace) => type.ToString()[(rootNamespace.Length + 1)..];

    private static string? FolderOf(TypeName type, string rootNamespace)
    {
        if (!type.Namespace.StartsWith(rootNamespace + ".", StringComparison.Ordinal))
            return null;
        var rest = type.Namespace[(rootNamespace.Length + 1)..];
        var dot = rest.IndexOf('.');
        return dot < 0 ? rest : rest[..dot];
    }
}
