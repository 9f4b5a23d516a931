using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Api;

/// <summary>The opaque continue token of a paged list: the list's resourceVersion and the key to resume after.</summary>
public sealed record ContinueToken(long ResourceVersion, string StartAfter)
{
    public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes(
        new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = ResourceVersion, ["start"] = StartAfter + "\0" }.ToJsonString()));

    public static ContinueToken Decode(string token)
    {
        try
        {
            var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)))!;
            var start = (string)json["start"]!;
            return new ContinueToken((long)json["rv"]!, start.TrimEnd('\0'));
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            throw StatusException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
    }
}
