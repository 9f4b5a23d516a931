using GitOps.Engine.Model;
using GitOps.Engine.Plan;

namespace GitOps.Operator.Compare;

/// <summary>
/// What the compare stage found: the live side of every desired and previously managed object (with
/// its difference from Git, for the desired ones), and the objects whose comparison the API server refused.
/// </summary>
public sealed record LiveState(IReadOnlyDictionary<ResourceKey, LiveInfo> Objects, IReadOnlyDictionary<ResourceKey, string> Errors);
