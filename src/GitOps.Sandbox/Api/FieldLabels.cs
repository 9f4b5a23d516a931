using System.Text.Json.Nodes;
using GitOps.Sandbox.Events;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>
/// What a resource's fieldSelector may name, as kube-apiserver's field label conversion
/// (scheme.ConvertFieldLabel) and its store's selectable fields (GetAttrs) define it: the labels a
/// client may send, each with the selectable field it stands for, and the values of those fields
/// in a stored object.
/// </summary>
public sealed record FieldLabels(
    IReadOnlyDictionary<string, string> Accepted,
    Func<JsonObject, IReadOnlyDictionary<string, string>> SelectableFields)
{
    /// <summary>metadata.name and metadata.namespace, which every resource supports.</summary>
    public static FieldLabels ObjectMeta { get; } = new(
        new Dictionary<string, string>(StringComparer.Ordinal) { ["metadata.name"] = "metadata.name", ["metadata.namespace"] = "metadata.namespace" },
        obj => new Dictionary<string, string>(StringComparer.Ordinal) { ["metadata.name"] = Api.ObjectMeta.Name(obj), ["metadata.namespace"] = Api.ObjectMeta.Namespace(obj) });

    public static FieldLabels For(ResourceType type) => EventApis.Of(type.Group, type.Kind) is { } api
        ? new FieldLabels(EventFieldLabels.Of(api), EventFieldLabels.Selectable)
        : ObjectMeta;

    /// <summary>The selectable field <paramref name="label"/> names, or the 400 the conversion answers for a label it does not know.</summary>
    public string SelectableField(string label) =>
        Accepted.TryGetValue(label, out var field) ? field : throw StatusException.BadRequest($"field label not supported: {label}");
}
