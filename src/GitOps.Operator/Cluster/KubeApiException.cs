using System.Text.Json.Nodes;

namespace GitOps.Operator.Cluster;

/// <summary>A failed API request, carrying the Status the server answered (code, reason, message).</summary>
public sealed class KubeApiException(int code, string reason, string message, JsonObject? status = null, TimeSpan? retryAfter = null)
    : Exception(message)
{
    public int Code { get; } = code;
    public string Reason { get; } = reason;
    public JsonObject? Status { get; } = status;
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public bool IsNotFound => Code == 404;
    public bool IsConflict => Code == 409;
    public bool IsGone => Code == 410;

    /// <summary>
    /// A server-side apply the API server cannot type against the kind's schema (a field the kind does
    /// not declare): kube-apiserver answers 500 "failed to create typed patch object", but no retry fixes it.
    /// </summary>
    public bool IsUntypablePatch => Code == 500 && Message.Contains("failed to create typed patch object", StringComparison.Ordinal);

    /// <summary>An update the API server refused because it changes a field that cannot change after creation.</summary>
    public bool IsImmutableFieldChange => Code == 422 && ImmutableFieldMessages.Any(m => Message.Contains(m, StringComparison.Ordinal));

    /// <summary>How kube-apiserver words the refusal of a change to a field fixed at creation (not a shrink or a bad value).</summary>
    private static readonly string[] ImmutableFieldMessages =
    [
        "field is immutable", "cannot change roleRef", "are forbidden", "is immutable after creation",
        "pod updates may not", "may not change once set", "may not be changed in an update",
    ];

    /// <summary>Worth retrying: the server was busy, failed internally, or could not be reached.</summary>
    public bool IsTransient => Code is 0 or 429 or 500 or 502 or 503 or 504 && !IsUntypablePatch;
}
