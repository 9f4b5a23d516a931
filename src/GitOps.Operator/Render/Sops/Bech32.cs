namespace GitOps.Operator.Render.Sops;

/// <summary>
/// Bech32 (BIP 173) as age uses it for keys: a human-readable prefix, "1", 5-bit data and a
/// six-character checksum; one case throughout, and no 90-character limit.
/// </summary>
internal static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static readonly uint[] Generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    public static string Encode(string prefix, ReadOnlySpan<byte> data)
    {
        var lower = prefix.ToLowerInvariant();
        var values = ConvertBits(data, 8, 5, pad: true);
        var checksum = Checksum(lower, values);
        var text = new System.Text.StringBuilder(lower.Length + 1 + values.Length + 6).Append(lower).Append('1');
        foreach (var v in values.Concat(checksum)) text.Append(Charset[v]);
        return prefix == lower ? text.ToString() : text.ToString().ToUpperInvariant();
    }

    /// <summary>The prefix (in the case it was written) and the data; throws <see cref="FormatException"/> when malformed.</summary>
    public static (string Prefix, byte[] Data) Decode(string text)
    {
        if (text.Any(c => c < 33 || c > 126)) throw new FormatException("invalid character");
        var lower = text.ToLowerInvariant();
        if (lower != text && text.ToUpperInvariant() != text) throw new FormatException("mixed case");
        var separator = lower.LastIndexOf('1');
        if (separator < 1 || separator + 7 > lower.Length) throw new FormatException("separator '1' at an invalid position");
        var prefix = lower[..separator];
        var values = new byte[lower.Length - separator - 1];
        for (var i = 0; i < values.Length; i++)
        {
            var index = Charset.IndexOf(lower[separator + 1 + i], StringComparison.Ordinal);
            if (index < 0) throw new FormatException("invalid data character");
            values[i] = (byte)index;
        }
        if (Polymod(Expand(prefix).Concat(values)) != 1) throw new FormatException("invalid checksum");
        var data = ConvertBits(values.AsSpan(0, values.Length - 6), 5, 8, pad: false);
        return (text[..separator], data);
    }

    private static byte[] Checksum(string prefix, byte[] values)
    {
        var mod = Polymod(Expand(prefix).Concat(values).Concat(new byte[6])) ^ 1;
        var result = new byte[6];
        for (var i = 0; i < 6; i++) result[i] = (byte)((mod >> (5 * (5 - i))) & 31);
        return result;
    }

    private static IEnumerable<byte> Expand(string prefix) =>
        prefix.Select(c => (byte)(c >> 5)).Append((byte)0).Concat(prefix.Select(c => (byte)(c & 31)));

    private static uint Polymod(IEnumerable<byte> values)
    {
        uint chk = 1;
        foreach (var v in values)
        {
            var top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (var i = 0; i < 5; i++)
                if (((top >> i) & 1) != 0) chk ^= Generator[i];
        }
        return chk;
    }

    private static byte[] ConvertBits(ReadOnlySpan<byte> data, int from, int to, bool pad)
    {
        var acc = 0;
        var bits = 0;
        var result = new List<byte>(data.Length * from / to + 1);
        var max = (1 << to) - 1;
        foreach (var value in data)
        {
            if (value >> from != 0) throw new FormatException("invalid data range");
            acc = (acc << from) | value;
            bits += from;
            while (bits >= to)
            {
                bits -= to;
                result.Add((byte)((acc >> bits) & max));
            }
        }
        if (pad)
        {
            if (bits > 0) result.Add((byte)((acc << (to - bits)) & max));
        }
        else if (bits >= from || ((acc << (to - bits)) & max) != 0)
        {
            throw new FormatException("invalid padding");
        }
        return [.. result];
    }
}
