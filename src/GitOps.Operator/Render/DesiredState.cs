using GitOps.Engine.Model;

namespace GitOps.Operator.Render;

/// <summary>
/// What the render stage makes of a source: the objects to apply (namespaced, marked as ours), the
/// renderer that made them, and the objects left out with why (an unknown kind, outside the managed scope).
/// </summary>
public sealed record DesiredState(IReadOnlyList<Manifest> Manifests, string Renderer, IReadOnlyDictionary<ResourceKey, string> Errors)
{
    public bool IsEmpty => Manifests.Count == 0;
}
