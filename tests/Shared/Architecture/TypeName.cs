namespace GitOps.Testing.Architecture;

/// <summary>A type defined in the scanned assembly: its namespace and its name without the generic arity (<c>WorkQueue</c>, not <c>WorkQueue`1</c>).</summary>
internal sealed record TypeName(string Namespace, string Name)
{
    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}.{Name}";
}

/// <summary><see cref="From"/> uses <see cref="To"/>; both are outermost types of the scanned assembly.</summary>
internal sealed record TypeDependency(TypeName From, TypeName To);
