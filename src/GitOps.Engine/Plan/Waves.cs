using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Engine.Model;

namespace GitOps.Engine.Plan;

/// <summary>Sync waves (<c>gitops.dev/sync-wave: "&lt;int&gt;"</c>, default 0) and phases (<c>gitops.dev/sync-phase</c>).</summary>
public static class Waves
{
    public const string WaveAnnotation = "gitops.dev/sync-wave";
    public const string PhaseAnnotation = "gitops.dev/sync-phase";

    /// <summary>The wave prune tasks get under PruneLast: after every other wave.</summary>
    public const int PruneLastWave = int.MaxValue;

    /// <summary>The wave of a manifest; an absent or unreadable annotation is wave 0 (the error text says which).</summary>
    public static int Of(Manifest manifest, out string? error) => Parse(manifest.Annotation(WaveAnnotation), out error);

    /// <summary>The wave of a live object.</summary>
    public static int Of(JsonObject? live) => Parse(Json.GetString(Json.GetObject(live, "metadata", "annotations"), WaveAnnotation), out _);

    public static SyncPhase PhaseOf(Manifest manifest) =>
        Enum.TryParse<SyncPhase>(manifest.Annotation(PhaseAnnotation), ignoreCase: false, out var p) && Enum.IsDefined(p) ? p : SyncPhase.Sync;

    private static int Parse(string? text, out string? error)
    {
        error = null;
        if (text is null) return 0;
        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var wave)) return wave;
        error = $"{WaveAnnotation} '{text}' is not an integer; using wave 0";
        return 0;
    }
}
