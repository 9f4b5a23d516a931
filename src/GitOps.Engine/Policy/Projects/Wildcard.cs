namespace GitOps.Engine.Policy.Projects;

/// <summary>Shell-style patterns as Argo CD's AppProject uses them: <c>*</c> any run of characters, <c>?</c> one; a leading <c>!</c> negates.</summary>
public static class Wildcard
{
    public static bool IsMatch(string pattern, string text)
    {
        if (pattern.StartsWith('!')) return !IsMatch(pattern[1..], text);
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t])) { p++; t++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = t; }
            else if (star >= 0) { p = star + 1; t = ++mark; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    /// <summary>Whether any positive pattern matches and no negated one excludes.</summary>
    public static bool Allows(IEnumerable<string> patterns, string text)
    {
        var list = patterns.ToList();
        if (list.Any(p => p.StartsWith('!') && IsMatch(p[1..], text))) return false;
        return list.Any(p => !p.StartsWith('!') && IsMatch(p, text));
    }
}
