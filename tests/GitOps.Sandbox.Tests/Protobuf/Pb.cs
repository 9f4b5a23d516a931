using Google.Protobuf;

namespace GitOps.Sandbox.Tests.Protobuf;

/// <summary>Builds protobuf wire bytes in tests, field by field, with Google.Protobuf's CodedOutputStream.</summary>
internal sealed class Pb
{
    private readonly MemoryStream _stream = new();
    private readonly CodedOutputStream _out;

    public Pb() => _out = new CodedOutputStream(_stream, leaveOpen: true);

    public Pb Str(int field, string value)
    {
        _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _out.WriteString(value);
        return this;
    }

    public Pb Bytes(int field, byte[] value)
    {
        _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _out.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public Pb Int(int field, long value)
    {
        _out.WriteTag(field, WireFormat.WireType.Varint);
        _out.WriteInt64(value);
        return this;
    }

    public Pb Bool(int field, bool value)
    {
        _out.WriteTag(field, WireFormat.WireType.Varint);
        _out.WriteBool(value);
        return this;
    }

    public Pb Msg(int field, Pb message) => Bytes(field, message.ToArray());

    /// <summary>An empty nested message (a Go struct with only zero values, or the zero Time).</summary>
    public Pb Empty(int field) => Bytes(field, []);

    /// <summary>A map entry {1: key, 2: value}.</summary>
    public Pb Entry(int field, string key, string value) => Msg(field, new Pb().Str(1, key).Str(2, value));

    public Pb Entry(int field, string key, byte[] value) => Msg(field, new Pb().Str(1, key).Bytes(2, value));

    /// <summary>A Time/MicroTime {1: seconds, 2: nanos}.</summary>
    public Pb Time(int field, DateTimeOffset t, int nanos = 0) => Msg(field, new Pb().Int(1, t.ToUnixTimeSeconds()).Int(2, nanos));

    public byte[] ToArray()
    {
        _out.Flush();
        return _stream.ToArray();
    }

    /// <summary>`k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw, contentEncoding, contentType}, as client-go writes it.</summary>
    public static byte[] Envelope(string apiVersion, string kind, Pb raw) =>
        [.. "k8s\0"u8, .. new Pb().Msg(1, new Pb().Str(1, apiVersion).Str(2, kind)).Msg(2, raw).Str(3, "").Str(4, "").ToArray()];
}
