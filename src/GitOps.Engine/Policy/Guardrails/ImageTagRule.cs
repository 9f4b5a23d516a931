using GitOps.Engine.Model;

namespace GitOps.Engine.Policy.Guardrails;

/// <summary>Images are pinned: a tag other than <c>latest</c>, or a digest.</summary>
public sealed class ImageTagRule : IGuardrail
{
    public const string RuleName = "image-tag";

    public string Name => RuleName;

    public IEnumerable<string> Check(Manifest manifest, GuardrailSettings settings)
    {
        var found = new List<string>();
        if (PodSpecs.Of(manifest) is not { } pod) return found;
        foreach (var (name, container) in PodSpecs.Containers(pod))
        {
            var image = Json.GetString(container, "image") ?? "";
            var tag = TagOf(image);
            if (image.Contains('@', StringComparison.Ordinal)) continue;
            if (tag is null) found.Add($"container \"{name}\" image \"{image}\" has no tag (it means :latest)");
            else if (tag == "latest") found.Add($"container \"{name}\" image \"{image}\" uses :latest");
        }
        return found;
    }

    /// <summary>The tag of an image reference; a colon before the last slash is a registry port, not a tag.</summary>
    internal static string? TagOf(string image)
    {
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? image[(colon + 1)..] : null;
    }
}
