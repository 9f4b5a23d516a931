using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace GitOps.Operator.Render.Sops;

/// <summary>
/// One SOPS value: <c>ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]</c>, AES-256-GCM under the file's
/// data key with a 32-byte IV and the value's path (<c>a:b:c:</c>) as additional data. The type says
/// how the plaintext reads back (str, int, float, bool, bytes, time, comment). Follows SOPS's
/// aes cipher; .NET's AesGcm takes 12-byte nonces only, so GCM here is Bouncy Castle's.
/// </summary>
internal static partial class SopsCipher
{
    private const int IvSize = 32;
    private const int TagSize = 16;

    [GeneratedRegex(@"^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex Format();

    public static bool IsEncrypted(string value) => value.StartsWith("ENC[AES256_GCM,", StringComparison.Ordinal);

    /// <summary>The value as SOPS stores it; an empty string stays empty (SOPS does not encrypt it).</summary>
    public static string Encrypt(JsonValue value, byte[] key, string additionalData)
    {
        var (bytes, type) = Plain(value);
        if (type == "str" && bytes.Length == 0) return "";
        var iv = RandomNumberGenerator.GetBytes(IvSize);
        var gcm = Gcm(forEncryption: true, key, iv, additionalData);
        var output = new byte[gcm.GetOutputSize(bytes.Length)];
        var n = gcm.ProcessBytes(bytes, 0, bytes.Length, output, 0);
        gcm.DoFinal(output, n);
        return $"ENC[AES256_GCM,data:{Convert.ToBase64String(output, 0, output.Length - TagSize)},iv:{Convert.ToBase64String(iv)},tag:{Convert.ToBase64String(output, output.Length - TagSize, TagSize)},type:{type}]";
    }

    /// <summary>Decrypts one stored value; throws <see cref="SopsException"/> without repeating the value.</summary>
    public static JsonValue Decrypt(string stored, byte[] key, string additionalData)
    {
        if (stored.Length == 0) return JsonValue.Create("");
        var match = Format().Match(stored);
        if (!match.Success) throw new SopsException("is not a SOPS encrypted value (ENC[AES256_GCM,…])");
        byte[] data, iv, tag;
        try
        {
            (data, iv, tag) = (Convert.FromBase64String(match.Groups[1].Value), Convert.FromBase64String(match.Groups[2].Value), Convert.FromBase64String(match.Groups[3].Value));
        }
        catch (FormatException)
        {
            throw new SopsException("holds invalid base64");
        }
        if (tag.Length != TagSize || iv.Length == 0) throw new SopsException("has an invalid IV or tag");
        var gcm = Gcm(forEncryption: false, key, iv, additionalData);
        var input = data.Concat(tag).ToArray();
        var plain = new byte[gcm.GetOutputSize(input.Length)];
        try
        {
            var n = gcm.ProcessBytes(input, 0, input.Length, plain, 0);
            gcm.DoFinal(plain, n);
        }
        catch (InvalidCipherTextException)
        {
            throw new SopsException("could not be decrypted: AES-GCM authentication failed (a wrong data key, or the value was changed or moved)");
        }
        var text = Encoding.UTF8.GetString(plain);
        var type = match.Groups[4].Value;
        return type switch
        {
            "str" or "bytes" or "time" or "comment" => JsonValue.Create(text),
            "int" => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l) : throw new SopsException("has type int but is not an integer"),
            "float" => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d) : throw new SopsException("has type float but is not a number"),
            "bool" => ParseBool(text) is { } b ? JsonValue.Create(b) : throw new SopsException("has type bool but is not a boolean"),
            _ => throw new SopsException($"has the unknown type {type}"),
        };
    }

    /// <summary>The bytes SOPS feeds the MAC (and encrypts) for a value, and its type name.</summary>
    public static (byte[] Bytes, string Type) Plain(JsonValue value)
    {
        if (value.TryGetValue<string>(out var s)) return (Encoding.UTF8.GetBytes(s), "str");
        if (value.TryGetValue<bool>(out var b)) return (Encoding.UTF8.GetBytes(b ? "True" : "False"), "bool");
        if (value.TryGetValue<long>(out var l)) return (Encoding.UTF8.GetBytes(l.ToString(CultureInfo.InvariantCulture)), "int");
        if (value.TryGetValue<double>(out var d)) return (Encoding.UTF8.GetBytes(GoFloat.Format(d)), "float");
        throw new SopsException($"holds a value of kind {value.GetValueKind()} that SOPS cannot encrypt");
    }

    private static bool? ParseBool(string text) => text switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };

    private static GcmBlockCipher Gcm(bool forEncryption, byte[] key, byte[] iv, string additionalData)
    {
        var gcm = new GcmBlockCipher(new AesEngine());
        gcm.Init(forEncryption, new AeadParameters(new KeyParameter(key), TagSize * 8, iv, Encoding.UTF8.GetBytes(additionalData)));
        return gcm;
    }
}

/// <summary>Go's <c>strconv.FormatFloat(v, 'f', -1, 64)</c>: the shortest digits that read back, never in exponent form.</summary>
internal static class GoFloat
{
    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "+Inf";
        if (double.IsNegativeInfinity(value)) return "-Inf";
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOfAny(['E', 'e']);
        if (e < 0) return r;
        var negative = r.StartsWith('-');
        var mantissa = r[(negative ? 1 : 0)..e];
        var exponent = int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        var pointAt = (dot < 0 ? mantissa.Length : dot) + exponent;
        string text;
        if (pointAt <= 0) text = "0." + new string('0', -pointAt) + digits;
        else if (pointAt >= digits.Length) text = digits + new string('0', pointAt - digits.Length);
        else text = digits[..pointAt] + "." + digits[pointAt..];
        return (negative ? "-" : "") + text;
    }
}
