namespace GitOps.Sandbox.Protobuf;

/// <summary>How one protobuf field becomes JSON.</summary>
internal enum ProtoType
{
    String,
    Int32,
    Int64,
    Bool,
    /// <summary>bytes: a base64 string in JSON.</summary>
    Bytes,
    /// <summary>A nested message, named by <see cref="ProtoField.Message"/>; always written when present.</summary>
    Message,
    /// <summary>A nested message whose fields are written into the parent object (Go's inline struct).</summary>
    Inline,
    /// <summary>meta/v1 Time {1: seconds, 2: nanos}: RFC 3339 with seconds; the zero time (empty message) is left out.</summary>
    Time,
    /// <summary>meta/v1 MicroTime: RFC 3339 with microseconds.</summary>
    MicroTime,
    /// <summary>util/intstr IntOrString {1: type, 2: intVal, 3: strVal}: a JSON number or string.</summary>
    IntOrString,
    /// <summary>resource.Quantity {1: string}: a JSON string.</summary>
    Quantity,
    /// <summary>meta/v1 FieldsV1 {1: raw JSON bytes}: the JSON value itself.</summary>
    FieldsV1,
    /// <summary>map&lt;string, string&gt;: repeated entries {1: key, 2: value}.</summary>
    StringMap,
    /// <summary>map&lt;string, bytes&gt;: values as base64 strings.</summary>
    BytesMap,
    /// <summary>map&lt;string, Quantity&gt;.</summary>
    QuantityMap,
}

/// <summary>
/// One field of a message table. <paramref name="Pointer"/> marks Go pointer fields: client-go writes
/// them only when set, so a zero value is kept; other scalars are Go values written always and left
/// out of JSON when zero (omitempty).
/// </summary>
internal sealed record ProtoField(int Number, string Json, ProtoType Type, bool Repeated = false, string? Message = null, bool Pointer = false);
