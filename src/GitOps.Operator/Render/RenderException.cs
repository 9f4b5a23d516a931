namespace GitOps.Operator.Render;

/// <summary>A render failure: nothing may be applied or pruned. Names the file (and line when known).</summary>
public sealed class RenderException(string message, string? file = null, int? line = null) : Exception(message)
{
    public string? File { get; } = file;
    public int? Line { get; } = line;

    /// <summary>The renderer that failed (kustomize, helm, directory), when one was chosen.</summary>
    public string? Renderer { get; init; }

    public string Describe() => File is null ? Message : Line is null ? $"{File}: {Message}" : $"{File}:{Line}: {Message}";
}
