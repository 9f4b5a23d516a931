using System.Globalization;

namespace GitOps.Sandbox.Patching;

/// <summary>RFC 6901 pointers as evanphx/json-patch v4 reads them.</summary>
internal static class JsonPointer
{
    /// <summary>
    /// The reference tokens of a pointer, unescaped (~1 then ~0). Like evanphx, the text before the
    /// first '/' is ignored, so "a/b" addresses "/b"; "" (the whole document) has no tokens.
    /// </summary>
    public static string[] Parse(string pointer)
    {
        var parts = pointer.Split('/');
        if (parts.Length < 2) return [];
        return parts.Skip(1).Select(Unescape).ToArray();
    }

    public static string Unescape(string token) => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    /// <summary>An array index as Go's strconv.Atoi reads it (sign allowed, leading zeros allowed).</summary>
    public static bool TryParseIndex(string token, out int index) =>
        int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out index);
}
