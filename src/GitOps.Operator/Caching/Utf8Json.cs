using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Operator.Caching;

/// <summary>A JSON tree as compact UTF-8 bytes, the form the caches keep objects in (a fraction of a tree's size).</summary>
internal static class Utf8Json
{
    public static byte[] ToBytes(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer)) node.WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }
}
