namespace GitOps.Testing.Architecture;

/// <summary>Tarjan's algorithm.</summary>
internal static class StronglyConnectedComponents
{
    /// <summary>The graph's strongly connected components: sets of nodes that all reach one another. A node on no cycle is a component of its own.</summary>
    public static IReadOnlyList<IReadOnlyList<T>> Of<T>(IReadOnlyDictionary<T, IReadOnlyCollection<T>> successors) where T : notnull
    {
        var index = new Dictionary<T, int>();
        var lowLink = new Dictionary<T, int>();
        var stack = new Stack<T>();
        var onStack = new HashSet<T>();
        var components = new List<IReadOnlyList<T>>();

        void Visit(T node)
        {
            var order = index.Count;
            index[node] = order;
            lowLink[node] = order;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in successors.GetValueOrDefault(node, []))
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    lowLink[node] = Math.Min(lowLink[node], lowLink[next]);
                }
                else if (onStack.Contains(next))
                    lowLink[node] = Math.Min(lowLink[node], index[next]);
            }
            if (lowLink[node] != index[node])
                return;
            var component = new List<T>();
            T member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            }
            while (!EqualityComparer<T>.Default.Equals(member, node));
            components.Add(component);
        }

        foreach (var node in successors.Keys.Concat(successors.Values.SelectMany(s => s)))
        {
            if (!index.ContainsKey(node))
                Visit(node);
        }
        return components;
    }
}
