using System.Text.Json.Nodes;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>An API failure, answered as a metav1.Status with the reason and code kube-apiserver uses.</summary>
public sealed class StatusException(int code, string reason, string message, JsonObject? details = null, IReadOnlyDictionary<string, string>? headers = null)
    : Exception(message)
{
    public int Code { get; } = code;
    public string Reason { get; } = reason;
    public JsonObject? Details { get; } = details;
    public IReadOnlyDictionary<string, string>? Headers { get; } = headers;

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
        };
        if (Reason.Length > 0) status["reason"] = Reason;
        if (Details is not null) status["details"] = Details.DeepClone();
        status["code"] = Code;
        return status;
    }

    /// <summary>A Status body built elsewhere (such as <see cref="Admission.AdmissionStatus.InvalidStatus"/>), thrown as is.</summary>
    public static StatusException FromStatus(JsonObject status) =>
        new((int)status["code"]!, (string?)status["reason"] ?? "", (string)status["message"]!, status["details"]?.DeepClone() as JsonObject);

    public static StatusException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedResource} \"{name}\" not found", DetailsOf(type, name));

    public static StatusException NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });

    public static StatusException NoSuchPath() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static StatusException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedResource} \"{name}\" already exists", DetailsOf(type, name));

    public static StatusException Conflict(ResourceType type, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", DetailsOf(type, name));

    public static StatusException ConflictMessage(ResourceType type, string name, string message, JsonArray? causes = null)
    {
        var details = DetailsOf(type, name);
        if (causes is not null) details["causes"] = causes;
        return new(409, "Conflict", message, details);
    }

    public static StatusException BadRequest(string message) => new(400, "BadRequest", message);

    public static StatusException Forbidden(ResourceType type, string name, string why) =>
        new(403, "Forbidden", $"{type.QualifiedResource} \"{name}\" is forbidden: {why}", DetailsOf(type, name));

    public static StatusException MethodNotAllowed(string verb, ResourceType type) =>
        new(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource", new JsonObject());

    public static StatusException UnsupportedMediaType(string contentType, IEnumerable<string> accepted) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}");

    public static StatusException TooLarge() =>
        new(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");

    public static StatusException Gone(string message) => new(410, "Expired", message);

    public static StatusException Invalid(ResourceType type, string name, IReadOnlyList<Cause> causes, string? message = null)
    {
        var details = new JsonObject { ["name"] = name };
        if (type.GroupResource.Group.Length > 0) details["group"] = type.GroupResource.Group;
        details["kind"] = type.Kind;
        details["causes"] = new JsonArray([.. causes.Select(c => (JsonNode)new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message, ["field"] = c.Field })]);
        // As an aggregate of field errors prints: each distinct error once, in brackets when there are several.
        var distinct = causes.Select(c => $"{c.Field}: {c.Message}").Distinct().ToList();
        var joined = distinct.Count == 1 ? distinct[0] : "[" + string.Join(", ", distinct) + "]";
        return new(422, "Invalid", message ?? $"{type.QualifiedKind} \"{name}\" is invalid: {joined}", details);
    }

    /// <summary>The details of a resource's error: the served group and resource, as the REST store's qualified resource.</summary>
    private static JsonObject DetailsOf(ResourceType type, string name)
    {
        var d = new JsonObject { ["name"] = name };
        if (type.ServedResource.Group.Length > 0) d["group"] = type.ServedResource.Group;
        d["kind"] = type.ServedResource.Resource;
        return d;
    }
}
