using System.Globalization;

namespace GitOps.Operator.Source;

/// <summary>A semantic version (major.minor.patch[-pre]) as Helm charts use them.</summary>
public sealed record SemVer(int Major, int Minor, int Patch, string Pre) : IComparable<SemVer>
{
    public static SemVer? TryParse(string text)
    {
        var t = text.Trim().TrimStart('v');
        var plus = t.IndexOf('+');
        if (plus >= 0) t = t[..plus];
        var dash = t.IndexOf('-');
        var pre = dash >= 0 ? t[(dash + 1)..] : "";
        var parts = (dash >= 0 ? t[..dash] : t).Split('.');
        if (parts.Length is < 1 or > 3) return null;
        var n = new int[3];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out n[i])) return null;
        return new SemVer(n[0], n[1], n[2], pre);
    }

    public int CompareTo(SemVer? other)
    {
        if (other is null) return 1;
        var c = Major.CompareTo(other.Major);
        if (c == 0) c = Minor.CompareTo(other.Minor);
        if (c == 0) c = Patch.CompareTo(other.Patch);
        if (c != 0) return c;
        if (Pre.Length == 0 && other.Pre.Length == 0) return 0;
        if (Pre.Length == 0) return 1;
        if (other.Pre.Length == 0) return -1;
        return string.CompareOrdinal(Pre, other.Pre);
    }

    public override string ToString() => $"{Major}.{Minor}.{Patch}" + (Pre.Length > 0 ? "-" + Pre : "");
}

/// <summary>
/// A Helm-style version constraint: an exact version, or comparisons (<c>&gt;=1.2 &lt;2</c>,
/// comma- or space-separated, <c>||</c> alternatives), <c>^1.2</c>, <c>~1.2</c>, <c>1.2.x</c>, <c>*</c>.
/// Prereleases match only a constraint that names one.
/// </summary>
public static class SemVerRange
{
    public static SemVer? Best(string constraint, IEnumerable<string> versions)
    {
        var parsed = versions.Select(v => SemVer.TryParse(v)).OfType<SemVer>().ToList();
        var c = constraint.Trim();
        if (c.Length == 0 || c == "*" || c.Equals("latest", StringComparison.OrdinalIgnoreCase))
            return parsed.Where(v => v.Pre.Length == 0).Max();
        if (SemVer.TryParse(c) is { } exact && !c.Contains('x') && !c.Contains('*'))
            return parsed.FirstOrDefault(v => v.CompareTo(exact) == 0);
        return parsed.Where(v => Matches(c, v)).Max();
    }

    public static bool Matches(string constraint, SemVer v) =>
        constraint.Split("||").Any(alt => Tokens(alt).All(t => MatchesOne(t, v)) && (v.Pre.Length == 0 || alt.Contains('-')));

    private static IEnumerable<string> Tokens(string alt)
    {
        var raw = alt.Replace(",", " ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        // ">= 1.2" written with a space: join the operator with its version.
        for (var i = 0; i < raw.Count; i++)
        {
            if (raw[i] is ">" or ">=" or "<" or "<=" or "=" or "!=" or "^" or "~" && i + 1 < raw.Count) yield return raw[i] + raw[++i];
            else yield return raw[i];
        }
    }

    private static bool MatchesOne(string token, SemVer v)
    {
        string op = new([.. token.TakeWhile(ch => "<>=!^~".Contains(ch))]);
        var rest = token[op.Length..].Trim();
        var parts = rest.TrimStart('v').Split('-')[0].Split('.');
        var wild = parts.Select(p => p is "x" or "X" or "*").ToArray();
        var given = parts.Length;
        var bv = SemVer.TryParse(string.Join('.', parts.Select(p => p is "x" or "X" or "*" ? "0" : p)) + (rest.Contains('-') ? "-" + rest[(rest.IndexOf('-') + 1)..] : ""));
        if (bv is null) return false;
        var fixedParts = wild.TakeWhile(w => !w).Count();
        if (op is "" or "=" && (fixedParts < 3 || given < 3)) op = "~=";
        return op switch
        {
            ">" => v.CompareTo(bv) > 0,
            ">=" => v.CompareTo(bv) >= 0,
            "<" => v.CompareTo(bv) < 0,
            "<=" => v.CompareTo(bv) <= 0,
            "!=" => v.CompareTo(bv) != 0,
            "" or "=" => v.CompareTo(bv) == 0,
            "~=" => v.CompareTo(bv) >= 0 && v.CompareTo(Upper(bv, Math.Min(fixedParts, given) - 1)) < 0,
            "~" => v.CompareTo(bv) >= 0 && v.CompareTo(Upper(bv, given >= 2 ? 1 : 0)) < 0,
            "^" => v.CompareTo(bv) >= 0 && v.CompareTo(Upper(bv, bv.Major > 0 ? 0 : bv.Minor > 0 ? 1 : 2)) < 0,
            _ => false,
        };
    }

    /// <summary>The first version past <paramref name="b"/> when part <paramref name="index"/> (0 major, 1 minor, 2 patch) is bumped.</summary>
    private static SemVer Upper(SemVer b, int index) => index switch
    {
        < 0 => new SemVer(int.MaxValue, 0, 0, ""),
        0 => new SemVer(b.Major + 1, 0, 0, ""),
        1 => new SemVer(b.Major, b.Minor + 1, 0, ""),
        _ => new SemVer(b.Major, b.Minor, b.Patch + 1, ""),
    };
}
