using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.FieldManagement;

public enum PathElementKind { Field, Key, Value, Index }

/// <summary>
/// One step of a field path, identified by its FieldsV1 token: <c>f:name</c>, <c>k:{"name":"web"}</c>,
/// <c>v:"x"</c> or <c>i:0</c>.
/// </summary>
public readonly record struct PathElement(PathElementKind Kind, string Token)
{
    internal static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static PathElement Field(string name) => new(PathElementKind.Field, "f:" + name);

    /// <summary>An associative-list element; <paramref name="key"/> lists the key fields in schema order.</summary>
    public static PathElement Key(JsonObject key) => new(PathElementKind.Key, "k:" + key.ToJsonString(Compact));

    public static PathElement Value(JsonNode? value) => new(PathElementKind.Value, "v:" + Json(value));

    public static PathElement Index(int index) => new(PathElementKind.Index, "i:" + index);

    public static PathElement Parse(string token) => token[..2] switch
    {
        "f:" => new(PathElementKind.Field, token),
        "k:" => new(PathElementKind.Key, token),
        "v:" => new(PathElementKind.Value, token),
        "i:" => new(PathElementKind.Index, token),
        _ => throw new FormatException($"invalid field path element '{token}'"),
    };

    public string FieldName => Kind == PathElementKind.Field ? Token[2..] : throw new InvalidOperationException(Token);

    public JsonObject KeyFields => Kind == PathElementKind.Key ? JsonNode.Parse(Token[2..])!.AsObject() : throw new InvalidOperationException(Token);

    public JsonNode? ElementValue => Kind == PathElementKind.Value ? JsonNode.Parse(Token[2..]) : throw new InvalidOperationException(Token);

    /// <summary>As structured-merge-diff prints it in conflict messages: <c>.image</c>, <c>[name="web"]</c>, <c>[=x]</c>.</summary>
    public string Render() => Kind switch
    {
        PathElementKind.Field => "." + FieldName,
        PathElementKind.Key => "[" + string.Join(",", KeyFields.Select(p => p.Key + "=" + Json(p.Value))) + "]",
        PathElementKind.Value => "[=" + Json(ElementValue) + "]",
        _ => "[" + Token[2..] + "]",
    };

    public override string ToString() => Token;

    internal static string Json(JsonNode? value) => value?.ToJsonString(Compact) ?? "null";
}
