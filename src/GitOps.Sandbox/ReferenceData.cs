using System.Reflection;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox;

/// <summary>
/// What a real kube-apiserver answered (discovery and OpenAPI v3), recorded and embedded in this
/// assembly: the sandbox serves it and derives merge semantics from it.
/// </summary>
public static class ReferenceData
{
    private const string Prefix = "reference/";
    private static readonly Assembly Self = typeof(ReferenceData).Assembly;

    /// <summary>The text of an embedded reference file, e.g. "discovery/api/v1.json".</summary>
    public static string? Text(string relativePath)
    {
        using var stream = Self.GetManifestResourceStream(Prefix + relativePath);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static JsonObject? Json(string relativePath) =>
        Text(relativePath) is { } text ? JsonNode.Parse(text)!.AsObject() : null;

    /// <summary>Every embedded file under a folder, by path relative to the reference root.</summary>
    public static IEnumerable<string> Files(string folder) =>
        Self.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix + folder, StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..])
            .Order(StringComparer.Ordinal);

    /// <summary>The OpenAPI v3 group-version documents, keyed by their path ("api/v1", "apis/apps/v1").</summary>
    public static IEnumerable<(string Path, JsonObject Document)> OpenApiV3Documents() =>
        Files("openapi/v3/")
            .Where(f => !f.EndsWith("index.json", StringComparison.Ordinal))
            .Select(f => (f["openapi/v3/".Length..^".json".Length], Json(f)!));
}
