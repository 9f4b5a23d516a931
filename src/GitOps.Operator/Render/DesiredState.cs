using GitOps.Engine.Model;

namespace GitOps.Operator.Render;

/// <summary>
/// What the render stage makes of a source: the objects to apply (namespaced, marked as ours), the
/// renderer that made them, and the objects left out with why (an unknown kind, outside the managed scope).
/// </summary>
public sealed record DesiredState(IReadOnlyList<Manifest> Manifests, string Renderer, IReadOnlyDictionary<ResourceKey, string> Errors)
{
    /// <summary>Objects created for each sync (gitops.dev/hook, Helm's hooks): never in the inventory, never pruned.</summary>
    public IReadOnlyList<Engine.Hooks.Hook> Hooks { get; init; } = [];

    public bool IsEmpty => Manifests.Count == 0;

    /// <summary>Everything the render made, hooks too (what the Project's bounds and guardrails look at).</summary>
    public IEnumerable<Manifest> All => Manifests.Concat(Hooks.Select(h => h.Manifest));

    /// <summary>Splits the rendered objects into those kept in sync and the hooks.</summary>
    public static DesiredState Of(IReadOnlyList<Manifest> rendered, string renderer, IReadOnlyDictionary<ResourceKey, string> errors)
    {
        var (objects, hooks, hookErrors) = Engine.Hooks.Hooks.Split(rendered);
        var all = new Dictionary<ResourceKey, string>(errors);
        foreach (var (key, message) in hookErrors) all[key] = message;
        return new DesiredState(objects, renderer, all) { Hooks = hooks };
    }
}
