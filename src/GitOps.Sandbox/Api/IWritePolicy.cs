using System.Text.Json.Nodes;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>
/// A check of the object a request is about to store, made by the kind's REST storage before
/// validation (the RBAC registry's escalation checks): throws a StatusException to refuse it.
/// </summary>
internal interface IWritePolicy
{
    /// <summary><paramref name="old"/> is the stored object of an update, null on create.</summary>
    void Check(ResourceType type, JsonObject? old, JsonObject candidate, WriteOptions options);
}
