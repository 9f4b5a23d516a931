using System.Text.Json.Nodes;

namespace GitOps.Engine.Normalize;

/// <summary>Removes <c>status</c>: controllers own it, Git never does, and health reads it from the live object instead.</summary>
// xref: kubernetes/kubernetes#66450 — status and other server-written fields are not desired state; comparing them reports false changes.
public sealed class StripStatus : InPlaceNormalizer
{
    protected internal override void NormalizeInPlace(JsonObject obj) => obj.Remove("status");
}
