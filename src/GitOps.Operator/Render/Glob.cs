using System.Text;
using System.Text.RegularExpressions;

namespace GitOps.Operator.Render;

/// <summary>
/// The glob patterns of directory.include/exclude as Argo CD reads them: "*" within a path
/// segment, "**" across segments, "?", and "{a,b}" alternatives.
/// </summary>
public static class Glob
{
    public static bool Matches(string pattern, string relativePath)
    {
        if (string.IsNullOrWhiteSpace(pattern)) return false;
        var regex = new Regex("^" + ToRegex(pattern.Trim()) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        return regex.IsMatch(relativePath) || (!pattern.Contains('/') && regex.IsMatch(name));
    }

    private static string ToRegex(string pattern)
    {
        var sb = new StringBuilder();
        var depth = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    sb.Append(".*");
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/') i++;
                    break;
                case '*': sb.Append("[^/]*"); break;
                case '?': sb.Append("[^/]"); break;
                case '{': depth++; sb.Append("(?:"); break;
                case '}' when depth > 0: depth--; sb.Append(')'); break;
                case ',' when depth > 0: sb.Append('|'); break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return sb.ToString();
    }
}
