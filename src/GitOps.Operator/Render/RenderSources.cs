using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace GitOps.Operator.Render;

/// <summary>spec.source.kustomize: overrides applied the way <c>kustomize edit</c> would, on a private copy.</summary>
public sealed record KustomizeSource
{
    public string? NamePrefix { get; init; }
    public string? NameSuffix { get; init; }
    /// <summary>Argo CD form: <c>name=newName:tag</c>, <c>name:tag</c>, <c>name@sha256:…</c>.</summary>
    public IReadOnlyList<string> Images { get; set; } = [];
    public IReadOnlyDictionary<string, string> CommonLabels { get; set; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> CommonAnnotations { get; set; } = new Dictionary<string, string>();
    public string? Namespace { get; init; }
    /// <summary>Kustomize <c>patches</c> entries (inline <c>patch</c> plus optional <c>target</c>), appended.</summary>
    public IReadOnlyList<JsonObject> Patches { get; set; } = [];
    public IReadOnlyList<KustomizeReplica> Replicas { get; set; } = [];

    public bool HasOverrides =>
        NamePrefix is not null || NameSuffix is not null || Namespace is not null || Images.Count > 0 || CommonLabels.Count > 0 ||
        CommonAnnotations.Count > 0 || Patches.Count > 0 || Replicas.Count > 0;

    public static KustomizeSource From(JsonObject? node) => node?.Deserialize(RenderSourceJson.Default.KustomizeSource) ?? new();
}

public sealed record KustomizeReplica(string Name, int Count);

/// <summary>spec.source.helm, as in the design (field names follow Argo CD's).</summary>
public sealed record HelmSource
{
    public string? ReleaseName { get; init; }
    public IReadOnlyList<string> ValueFiles { get; set; } = [];
    /// <summary>Inline values: a YAML string or an object.</summary>
    public JsonNode? Values { get; init; }
    public JsonObject? ValuesObject { get; init; }
    public IReadOnlyList<HelmParameter> Parameters { get; set; } = [];
    public bool SkipCrds { get; init; }
    public string? KubeVersion { get; init; }
    public IReadOnlyList<string> ApiVersions { get; set; } = [];
    public string? Namespace { get; init; }

    public static HelmSource From(JsonObject? node) => node?.Deserialize(RenderSourceJson.Default.HelmSource) ?? new();

    /// <summary>The inline values as YAML text (JSON is YAML), or null when there are none.</summary>
    public string? InlineValues() => Values switch
    {
        null => ValuesObject?.ToJsonString(),
        JsonValue v when v.TryGetValue<string>(out var s) => string.IsNullOrWhiteSpace(s) ? ValuesObject?.ToJsonString() : s,
        JsonObject o => o.ToJsonString(),
        _ => ValuesObject?.ToJsonString(),
    };
}

/// <summary>One <c>--set name=value</c> (or <c>--set-string</c> when forced).</summary>
public sealed record HelmParameter
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
    public bool ForceString { get; init; }
}

/// <summary>spec.source.kustomize and .helm read as the Application spec is (source-generated; defaults are <c>set</c>).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(KustomizeSource))]
[JsonSerializable(typeof(HelmSource))]
internal sealed partial class RenderSourceJson : JsonSerializerContext;

internal static class RenderJson
{
    /// <summary>A stable hash of everything besides the tree that decides a render's output.</summary>
    public static string ParametersHash(RenderRequest request, string extra = "")
    {
        var s = request.Source;
        var text = new StringBuilder()
            .Append(request.Path).Append('\n')
            .Append(request.DestinationNamespace).Append('\n')
            .Append(s.Kustomize?.ToJsonString() ?? "").Append('\n')
            .Append(s.Helm?.ToJsonString() ?? "").Append('\n')
            .Append(s.Chart ?? "").Append('\n')
            .Append(s.Directory).Append('\n')
            .Append(request.Limits).Append('\n')
            .Append(extra).ToString();
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32].ToLowerInvariant();
    }
}
