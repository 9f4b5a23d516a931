namespace GitOps.Operator.Render;

/// <summary>
/// Picks the renderer from what the application's path holds: a kustomization
/// (<c>kustomization.yaml</c>, <c>kustomization.yml</c>, <c>Kustomization</c>) → Kustomize,
/// <c>Chart.yaml</c> → Helm, otherwise the plain directory renderer.
/// </summary>
public sealed class RendererSelector(IReadOnlyList<(string Name, Func<RenderRequest, bool> Applies, IRenderer Renderer)> specific, IRenderer fallback)
{
    public static RendererSelector DirectoryOnly { get; } = new([], new DirectoryRenderer());

    /// <summary>
    /// Kustomize, Helm and directory. With a <paramref name="cache"/> the tool renderers' output is
    /// cached: only for trees that never change under the same directory (the operator's
    /// content-addressed checkouts), never for a working copy.
    /// </summary>
    public static RendererSelector Create(ToolRunner runner, RenderCache? cache = null)
    {
        IRenderer kustomize = new KustomizeRenderer(runner);
        IRenderer helm = new HelmRenderer(runner);
        if (cache is not null)
        {
            kustomize = new CachingRenderer(kustomize, "kustomize", cache);
            helm = new CachingRenderer(helm, "helm", cache);
        }
        return new([("kustomize", KustomizeRenderer.Applies, kustomize), ("helm", HelmRenderer.Applies, helm)], new DirectoryRenderer());
    }

    public IRenderer For(RenderRequest request) => Select(request).Renderer;

    /// <summary>The renderer for <paramref name="request"/> and its name: kustomize, helm or directory (a metric label).</summary>
    public (string Name, IRenderer Renderer) Select(RenderRequest request)
    {
        foreach (var (name, applies, renderer) in specific)
            if (applies(request)) return (name, renderer);
        return ("directory", fallback);
    }
}
