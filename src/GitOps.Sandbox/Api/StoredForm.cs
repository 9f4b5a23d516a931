using System.Text.Json.Nodes;
using GitOps.Sandbox.Events;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>
/// The form a resource serves an object in and the form its storage keeps it in. They are the same
/// but for resources served from another's storage (<see cref="SharedStorage"/>): events.k8s.io/v1
/// Events are kept as core/v1 Events and converted on the way in and out.
/// </summary>
public static class StoredForm
{
    public static JsonObject ToStored(ResourceType type, JsonObject served) =>
        IsEventsV1(type) ? EventConversion.EventsV1ToCore(served) : served;

    public static JsonObject ToServed(ResourceType type, JsonObject stored) =>
        IsEventsV1(type) ? EventConversion.CoreToEventsV1(stored) : stored;

    private static bool IsEventsV1(ResourceType type) => EventApis.Of(type.Group, type.Kind) == EventApi.EventsV1;
}
