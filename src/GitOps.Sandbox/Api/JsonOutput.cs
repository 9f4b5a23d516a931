using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Api;

/// <summary>JSON as Go writes it: quotes and angle brackets inside strings stay as they are.</summary>
public static class JsonOutput
{
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(JsonNode node) => node.ToJsonString(Options);
}
