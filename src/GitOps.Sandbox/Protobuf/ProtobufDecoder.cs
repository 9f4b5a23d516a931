using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace GitOps.Sandbox.Protobuf;

/// <summary>The runtime.Unknown envelope of a Kubernetes protobuf body: `k8s\0` + Unknown{typeMeta, raw, contentEncoding, contentType}.</summary>
internal sealed record ProtobufEnvelope(string ApiVersion, string Kind, ByteString Raw, string ContentEncoding, string ContentType);

/// <summary>A body that is not well-formed Kubernetes protobuf.</summary>
internal sealed class ProtobufFormatException(string message) : Exception(message);

/// <summary>
/// Decodes Kubernetes protobuf messages to the JSON object Go's encoding/json would write for them,
/// driven by the field tables of <see cref="KubeSchema"/>: Go zero values of non-pointer scalars
/// are left out, pointer fields and nested messages are kept when present, bytes become base64.
/// </summary>
internal static class ProtobufDecoder
{
    public static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    private static readonly Dictionary<string, Dictionary<int, ProtoField>> Tables =
        KubeSchema.Messages.ToDictionary(m => m.Key, m => m.Value.ToDictionary(f => f.Number));

    /// <summary>Reads the envelope; throws <see cref="ProtobufFormatException"/> without the magic or on bad wire data.</summary>
    public static ProtobufEnvelope ReadEnvelope(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic)) throw new ProtobufFormatException("provided object is not a protobuf message (missing the k8s\\0 prefix)");
        string apiVersion = "", kind = "", encoding = "", contentType = "";
        var raw = ByteString.Empty;
        Read(ByteString.CopyFrom(body[Magic.Length..]), (input, number, wire) =>
        {
            switch (number)
            {
                case 1 when wire == WireFormat.WireType.LengthDelimited:
                    Read(input.ReadBytes(), (tm, n, w) =>
                    {
                        if (n == 1 && w == WireFormat.WireType.LengthDelimited) apiVersion = tm.ReadString();
                        else if (n == 2 && w == WireFormat.WireType.LengthDelimited) kind = tm.ReadString();
                        else tm.SkipLastField();
                    });
                    break;
                case 2 when wire == WireFormat.WireType.LengthDelimited: raw = input.ReadBytes(); break;
                case 3 when wire == WireFormat.WireType.LengthDelimited: encoding = input.ReadString(); break;
                case 4 when wire == WireFormat.WireType.LengthDelimited: contentType = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        });
        return new ProtobufEnvelope(apiVersion, kind, raw, encoding, contentType);
    }

    /// <summary>The message table name for a top-level kind, or null when the sandbox has none.</summary>
    public static string? MessageFor(string apiVersion, string kind) =>
        kind == "DeleteOptions" ? KubeSchema.DeleteOptions : KubeSchema.Kinds.GetValueOrDefault((apiVersion, kind));

    /// <summary>Decodes a top-level object: `kind` and `apiVersion` first, then the message's fields.</summary>
    public static JsonObject DecodeObject(string apiVersion, string kind, string message, ByteString raw, Action<string>? unknownField = null)
    {
        var obj = new JsonObject { ["kind"] = kind, ["apiVersion"] = apiVersion };
        DecodeInto(obj, message, raw, message, unknownField);
        return obj;
    }

    /// <summary>Decodes one message of <paramref name="message"/>'s table into a new JSON object.</summary>
    public static JsonObject DecodeMessage(string message, ByteString data, Action<string>? unknownField = null)
    {
        var obj = new JsonObject();
        DecodeInto(obj, message, data, message, unknownField);
        return obj;
    }

    private static void DecodeInto(JsonObject obj, string message, ByteString data, string path, Action<string>? unknownField)
    {
        var table = Tables.TryGetValue(message, out var t) ? t : throw new InvalidOperationException($"no protobuf table {message}");
        Read(data, (input, number, wire) =>
        {
            if (!table.TryGetValue(number, out var field))
            {
                unknownField?.Invoke($"{path}#{number}");
                input.SkipLastField();
                return;
            }
            var fieldPath = $"{path}.{(field.Json.Length > 0 ? field.Json : field.Message)}";
            if (field.Repeated && wire == WireFormat.WireType.LengthDelimited && field.Type is ProtoType.Int32 or ProtoType.Int64 or ProtoType.Bool)
            {
                // packed encoding of repeated scalars
                Read(input.ReadBytes(), (p, _, _) => Append(obj, field, ReadScalar(p, field)), packed: true);
                return;
            }
            var expected = field.Type switch
            {
                ProtoType.Int32 or ProtoType.Int64 or ProtoType.Bool => WireFormat.WireType.Varint,
                _ => WireFormat.WireType.LengthDelimited,
            };
            if (wire != expected)
                throw new ProtobufFormatException($"{fieldPath}: wire type {wire}, expected {expected}");
            switch (field.Type)
            {
                case ProtoType.String or ProtoType.Int32 or ProtoType.Int64 or ProtoType.Bool or ProtoType.Bytes:
                {
                    var value = ReadScalar(input, field);
                    if (field.Repeated) Append(obj, field, value);
                    else if (field.Pointer || !IsZero(value)) obj[field.Json] = value;
                    else obj.Remove(field.Json);
                    break;
                }
                case ProtoType.Message:
                {
                    var nested = new JsonObject();
                    DecodeInto(nested, field.Message!, input.ReadBytes(), fieldPath, unknownField);
                    if (field.Repeated) Append(obj, field, nested);
                    else obj[field.Json] = nested;
                    break;
                }
                case ProtoType.Inline:
                    DecodeInto(obj, field.Message!, input.ReadBytes(), fieldPath, unknownField);
                    break;
                case ProtoType.Time or ProtoType.MicroTime:
                    Set(obj, field, ReadTime(input.ReadBytes(), field.Type == ProtoType.MicroTime));
                    break;
                case ProtoType.IntOrString:
                    Set(obj, field, ReadIntOrString(input.ReadBytes(), field.Pointer));
                    break;
                case ProtoType.Quantity:
                    Set(obj, field, ReadQuantity(input.ReadBytes()));
                    break;
                case ProtoType.FieldsV1:
                    Set(obj, field, ReadFieldsV1(input.ReadBytes(), fieldPath));
                    break;
                case ProtoType.StringMap or ProtoType.BytesMap or ProtoType.QuantityMap:
                    ReadMapEntry(obj, field, input.ReadBytes());
                    break;
                default:
                    throw new InvalidOperationException($"unhandled protobuf field type {field.Type}");
            }
        });
    }

    private static void Read(ByteString data, Action<CodedInputStream, int, WireFormat.WireType> onField, bool packed = false)
    {
        var input = MemoryMarshal.TryGetArray(data.Memory, out var segment) && segment.Array is not null
            ? new CodedInputStream(segment.Array, segment.Offset, segment.Count)
            : new CodedInputStream(data.ToByteArray());
        try
        {
            if (packed)
            {
                while (!input.IsAtEnd) onField(input, 0, WireFormat.WireType.Varint);
                return;
            }
            uint tag;
            while ((tag = input.ReadTag()) != 0)
                onField(input, WireFormat.GetTagFieldNumber(tag), WireFormat.GetTagWireType(tag));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ProtobufFormatException(e.Message);
        }
    }

    private static JsonNode ReadScalar(CodedInputStream input, ProtoField field) => field.Type switch
    {
        ProtoType.String => JsonValue.Create(input.ReadString()),
        ProtoType.Int32 => JsonValue.Create(input.ReadInt32()),
        ProtoType.Int64 => JsonValue.Create(input.ReadInt64()),
        ProtoType.Bool => JsonValue.Create(input.ReadBool()),
        ProtoType.Bytes => JsonValue.Create(input.ReadBytes().ToBase64()),
        _ => throw new InvalidOperationException($"not a scalar: {field.Type}"),
    };

    private static bool IsZero(JsonNode value) => value.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => value.GetValue<string>().Length == 0,
        System.Text.Json.JsonValueKind.False => true,
        System.Text.Json.JsonValueKind.Number => value.ToJsonString() == "0",
        _ => false,
    };

    private static void Append(JsonObject obj, ProtoField field, JsonNode value)
    {
        if (obj[field.Json] is not JsonArray array) obj[field.Json] = array = [];
        array.Add(value);
    }

    private static void Set(JsonObject obj, ProtoField field, JsonNode? value)
    {
        if (value is null) obj.Remove(field.Json);
        else obj[field.Json] = value;
    }

    /// <summary>Time/MicroTime {1: seconds, 2: nanos}; an empty message is Go's zero time (JSON null, left out).</summary>
    private static JsonValue? ReadTime(ByteString data, bool micro)
    {
        if (data.IsEmpty) return null;
        long seconds = 0;
        int nanos = 0;
        Read(data, (input, n, w) =>
        {
            if (n == 1 && w == WireFormat.WireType.Varint) seconds = input.ReadInt64();
            else if (n == 2 && w == WireFormat.WireType.Varint) nanos = input.ReadInt32();
            else input.SkipLastField();
        });
        DateTime time;
        try { time = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime; }
        catch (ArgumentOutOfRangeException) { throw new ProtobufFormatException($"time out of range: {seconds}s"); }
        // metav1.Time keeps whole seconds (its Unmarshal drops nanos); MicroTime keeps microseconds.
        if (!micro) return JsonValue.Create(time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        time = time.AddTicks(nanos / 1000 * 10);
        return JsonValue.Create(time.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
    }

    /// <summary>IntOrString {1: type (0 int, 1 string), 2: intVal, 3: strVal}.</summary>
    private static JsonValue? ReadIntOrString(ByteString data, bool pointer)
    {
        long type = 0;
        int intVal = 0;
        var strVal = "";
        Read(data, (input, n, w) =>
        {
            if (n == 1 && w == WireFormat.WireType.Varint) type = input.ReadInt64();
            else if (n == 2 && w == WireFormat.WireType.Varint) intVal = input.ReadInt32();
            else if (n == 3 && w == WireFormat.WireType.LengthDelimited) strVal = input.ReadString();
            else input.SkipLastField();
        });
        if (type == 1) return JsonValue.Create(strVal);
        return intVal == 0 && !pointer ? null : JsonValue.Create(intVal);
    }

    /// <summary>resource.Quantity {1: string}.</summary>
    private static JsonValue ReadQuantity(ByteString data)
    {
        var s = "";
        Read(data, (input, n, w) =>
        {
            if (n == 1 && w == WireFormat.WireType.LengthDelimited) s = input.ReadString();
            else input.SkipLastField();
        });
        return JsonValue.Create(s.Length == 0 ? "0" : s);
    }

    /// <summary>FieldsV1 {1: raw}: the raw bytes are the JSON of the field set.</summary>
    private static JsonNode? ReadFieldsV1(ByteString data, string path)
    {
        var raw = ByteString.Empty;
        Read(data, (input, n, w) =>
        {
            if (n == 1 && w == WireFormat.WireType.LengthDelimited) raw = input.ReadBytes();
            else input.SkipLastField();
        });
        if (raw.IsEmpty) return null;
        try { return JsonNode.Parse(raw.Span); }
        catch (System.Text.Json.JsonException e) { throw new ProtobufFormatException($"{path}: {e.Message}"); }
    }

    /// <summary>One map entry {1: key, 2: value}; a missing value is the Go zero value.</summary>
    private static void ReadMapEntry(JsonObject obj, ProtoField field, ByteString data)
    {
        var key = "";
        JsonNode value = field.Type == ProtoType.QuantityMap ? JsonValue.Create("0") : JsonValue.Create("");
        Read(data, (input, n, w) =>
        {
            if (n == 1 && w == WireFormat.WireType.LengthDelimited) key = input.ReadString();
            else if (n == 2 && w == WireFormat.WireType.LengthDelimited)
                value = field.Type switch
                {
                    ProtoType.StringMap => JsonValue.Create(input.ReadString()),
                    ProtoType.BytesMap => JsonValue.Create(input.ReadBytes().ToBase64()),
                    _ => ReadQuantity(input.ReadBytes()),
                };
            else input.SkipLastField();
        });
        if (obj[field.Json] is not JsonObject map) obj[field.Json] = map = [];
        map[key] = value;
    }
}
