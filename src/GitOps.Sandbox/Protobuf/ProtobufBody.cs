using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace GitOps.Sandbox.Protobuf;

/// <summary>
/// Turns a Kubernetes protobuf request body (`application/vnd.kubernetes.protobuf`) into the JSON body
/// the JSON path expects, so create, update and delete continue through BodyParser and ObjectWriter
/// unchanged. client-go's typed clients (kubectl create, helm's release Secrets) send protobuf.
/// </summary>
public static class ProtobufBody
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly string[] Accepted = ["application/json", "application/yaml"];

    public static bool IsProtobuf(string? contentType) =>
        contentType is not null && contentType.StartsWith(MediaType, StringComparison.Ordinal);

    /// <summary>
    /// Replaces the request's protobuf body by its JSON equivalent (Content-Type application/json).
    /// A verb or kind without a decoder gets 415, as before; malformed protobuf gets 400.
    /// </summary>
    public static async Task RewriteAsJsonAsync(HttpContext context, string verb, ResourceType type, int maxBodyBytes)
    {
        var request = context.Request;
        var contentType = request.ContentType ?? "";
        if (verb is not ("create" or "update" or "delete")) throw StatusException.UnsupportedMediaType(contentType, Accepted);
        if (request.ContentLength > maxBodyBytes) throw StatusException.TooLarge();
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBodyBytes) throw StatusException.TooLarge();
            buffer.Write(chunk, 0, read);
        }
        var json = buffer.Length == 0 ? null : ToJson(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), type, verb, contentType);
        var bytes = json is null ? [] : System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
        request.Body = new MemoryStream(bytes);
        request.ContentLength = bytes.Length;
        request.ContentType = "application/json";
    }

    /// <summary>Decodes one protobuf body for <paramref name="type"/>'s endpoint.</summary>
    internal static JsonObject ToJson(ReadOnlySpan<byte> body, ResourceType type, string verb, string contentType)
    {
        ProtobufEnvelope envelope;
        try { envelope = ProtobufDecoder.ReadEnvelope(body); }
        catch (ProtobufFormatException e) { throw StatusException.BadRequest($"the object provided is unrecognized (must be of type {type.Kind}): {e.Message}"); }
        var apiVersion = envelope.ApiVersion.Length > 0 ? envelope.ApiVersion : verb == "delete" ? "v1" : type.ApiVersion;
        var kind = envelope.Kind.Length > 0 ? envelope.Kind : verb == "delete" ? "DeleteOptions" : type.Kind;
        var message = ProtobufDecoder.MessageFor(apiVersion, kind);
        if (message is null || envelope.ContentEncoding.Length > 0 || (verb == "delete") != (message == KubeSchema.DeleteOptions))
            throw StatusException.UnsupportedMediaType(contentType, Accepted);
        try { return ProtobufDecoder.DecodeObject(apiVersion, kind, message, envelope.Raw); }
        catch (ProtobufFormatException e) { throw StatusException.BadRequest($"the object provided is unrecognized (must be of type {type.Kind}): {e.Message}"); }
    }
}
