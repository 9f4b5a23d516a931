namespace GitOps.Operator.Render;

/// <summary>Manifest text produced by a renderer, with where it came from (for error messages).</summary>
public sealed record RenderedDocument(string SourceName, string Text);

/// <summary>Caps that keep a hostile or broken repository from exhausting the operator.</summary>
public sealed record RenderLimits(int MaxFiles, long MaxFileBytes, long MaxTotalBytes)
{
    public static RenderLimits Default { get; } = new(MaxFiles: 2000, MaxFileBytes: 4L * 1024 * 1024, MaxTotalBytes: 64L * 1024 * 1024);
}

/// <summary>What a renderer needs: the checked-out tree and the application's source settings.</summary>
public sealed record RenderRequest(string RepositoryRoot, string Path, Applications.SourceSpecModel Source, string DestinationNamespace, RenderLimits Limits)
{
    /// <summary>The Application's name: Helm's release name when spec.source.helm.releaseName is empty, as in Argo CD.</summary>
    public string? ApplicationName { get; init; }

    /// <summary>
    /// The Application's age identities (spec.decryption), or null. A render that used them (a Helm
    /// values file decrypted) is cached under their digest only, never where another Application could find it.
    /// </summary>
    public Sops.SopsKeyring? Decryption { get; init; }

    /// <summary>What the source counted in <see cref="RepositoryRoot"/> when it wrote it, or null (then the renderer walks it).</summary>
    public Source.TreeShape? Shape { get; init; }
}

public interface IRenderer
{
    /// <summary>Renders manifests; throws <see cref="RenderException"/> for anything wrong with the input.</summary>
    Task<IReadOnlyList<RenderedDocument>> RenderAsync(RenderRequest request, CancellationToken ct);
}
