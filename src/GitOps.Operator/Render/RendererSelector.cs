namespace GitOps.Operator.Render;

/// <summary>Picks the renderer from what the application's path holds (Kustomize and Helm plug in here).</summary>
public sealed class RendererSelector(IReadOnlyList<(Func<RenderRequest, bool> Applies, IRenderer Renderer)> specific, IRenderer fallback)
{
    public static RendererSelector DirectoryOnly { get; } = new([], new DirectoryRenderer());

    public IRenderer For(RenderRequest request)
    {
        foreach (var (applies, renderer) in specific)
            if (applies(request)) return renderer;
        return fallback;
    }
}
