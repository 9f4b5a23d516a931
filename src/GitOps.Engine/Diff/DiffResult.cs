using System.Text.Json.Nodes;

namespace GitOps.Engine.Diff;

/// <summary>
/// The outcome of comparing one predicted object with its live object. <see cref="ChangedPaths"/>
/// are JSON pointers into the normalized objects. The JSON objects belong to the result: do not change them.
/// </summary>
public sealed record DiffResult(
    bool Modified,
    IReadOnlyList<string> ChangedPaths,
    JsonObject? NormalizedLive,
    JsonObject? NormalizedPredicted,
    string Reason)
{
    public const string MissingReason = "Missing";
    public const string ModifiedReason = "Modified";
    public const string InSyncReason = "InSync";

    /// <summary>True when the live object does not exist.</summary>
    public bool IsMissing => Reason == MissingReason;

    /// <summary><c>InSync</c>, <c>Missing</c>, or <c>Modified /a, /b</c>.</summary>
    public override string ToString() => Reason switch
    {
        ModifiedReason => $"Modified {string.Join(", ", ChangedPaths)}",
        MissingReason => "Missing: the live object does not exist",
        _ => Reason,
    };
}
