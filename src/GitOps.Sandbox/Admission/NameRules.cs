using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GitOps.Sandbox.Admission;

/// <summary>
/// The name checks of k8s.io/apimachinery/pkg/util/validation, with their exact messages.
/// Each returns the list of messages (empty when valid).
/// </summary>
internal static partial class NameRules
{
    private const string Dns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1123SubdomainFmt = Dns1123LabelFmt + "(\\." + Dns1123LabelFmt + ")*";
    private const string Dns1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private const string QualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string LabelValueFmt = "(" + QualifiedNameFmt + ")?";
    private const string ConfigMapKeyFmt = "[-._a-zA-Z0-9]+";
    private const string QualifiedNameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    [GeneratedRegex("^" + Dns1123LabelFmt + "$")] private static partial Regex Dns1123Label();
    [GeneratedRegex("^" + Dns1123SubdomainFmt + "$")] private static partial Regex Dns1123Subdomain();
    [GeneratedRegex("^" + Dns1035LabelFmt + "$")] private static partial Regex Dns1035Label();
    [GeneratedRegex("^" + QualifiedNameFmt + "$")] private static partial Regex QualifiedName();
    [GeneratedRegex("^" + LabelValueFmt + "$")] private static partial Regex LabelValue();
    [GeneratedRegex("^" + ConfigMapKeyFmt + "$")] private static partial Regex ConfigMapKey();

    public static string MaxLenError(int n) => $"must be no more than {n} characters";
    public const string EmptyError = "must be non-empty";

    public static string RegexError(string msg, string fmt, params string[] examples)
    {
        if (examples.Length == 0) return msg + " (regex used for validation is '" + fmt + "')";
        msg += " (e.g. ";
        for (var i = 0; i < examples.Length; i++)
        {
            if (i > 0) msg += " or ";
            msg += "'" + examples[i] + "', ";
        }
        return msg + "regex used for validation is '" + fmt + "')";
    }

    public static List<string> IsDns1123Label(string value)
    {
        var errs = new List<string>();
        if (value.Length > 63) errs.Add(MaxLenError(63));
        if (!Dns1123Label().IsMatch(value))
            errs.Add(RegexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", Dns1123LabelFmt, "my-name", "123-abc"));
        return errs;
    }

    public static List<string> IsDns1123Subdomain(string value)
    {
        var errs = new List<string>();
        if (value.Length > 253) errs.Add(MaxLenError(253));
        if (!Dns1123Subdomain().IsMatch(value))
            errs.Add(RegexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", Dns1123SubdomainFmt, "example.com"));
        return errs;
    }

    public static List<string> IsDns1035Label(string value)
    {
        var errs = new List<string>();
        if (value.Length > 63) errs.Add(MaxLenError(63));
        if (!Dns1035Label().IsMatch(value))
            errs.Add(RegexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", Dns1035LabelFmt, "my-name", "abc-123"));
        return errs;
    }

    public static List<string> IsQualifiedName(string value)
    {
        var errs = new List<string>();
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1: name = parts[0]; break;
            case 2:
                name = parts[1];
                if (parts[0].Length == 0) errs.Add("prefix part " + EmptyError);
                else errs.AddRange(IsDns1123Subdomain(parts[0]).Select(m => "prefix part " + m));
                break;
            default:
                errs.Add("a qualified name " + RegexError(QualifiedNameErrMsg, QualifiedNameFmt, "MyName", "my.name", "123-abc") +
                         " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errs;
        }
        if (name.Length == 0) errs.Add("name part " + EmptyError);
        else if (name.Length > 63) errs.Add("name part " + MaxLenError(63));
        if (!QualifiedName().IsMatch(name))
            errs.Add("name part " + RegexError(QualifiedNameErrMsg, QualifiedNameFmt, "MyName", "my.name", "123-abc"));
        return errs;
    }

    public static List<string> IsValidLabelValue(string value)
    {
        var errs = new List<string>();
        if (value.Length > 63) errs.Add(MaxLenError(63));
        if (!LabelValue().IsMatch(value))
            errs.Add(RegexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LabelValueFmt, "MyValue", "my_value", "12345"));
        return errs;
    }

    public static List<string> IsConfigMapKey(string value)
    {
        var errs = new List<string>();
        if (value.Length > 253) errs.Add(MaxLenError(253));
        if (!ConfigMapKey().IsMatch(value))
            errs.Add(RegexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", ConfigMapKeyFmt, "key.name", "KEY_NAME", "key-name"));
        if (value == ".") errs.Add("must not be '.'");
        else if (value == "..") errs.Add("must not be '..'");
        else if (value.StartsWith("..", StringComparison.Ordinal)) errs.Add("must not start with '..'");
        return errs;
    }

    /// <summary>path.ValidatePathSegmentName (RBAC object names).</summary>
    public static List<string> IsPathSegmentName(string value)
    {
        var errs = new List<string>();
        if (value is "." or "..") errs.Add($"may not be '{value}'");
        foreach (var illegal in new[] { "/", "%" })
            if (value.Contains(illegal, StringComparison.Ordinal)) errs.Add($"may not contain '{illegal}'");
        return errs;
    }

    /// <summary>The name function's view of a generateName prefix: a trailing dash is masked.</summary>
    public static string MaskTrailingDash(string name) =>
        name.Length > 1 && name.EndsWith('-') ? name[..^2] + "a" : name;

    /// <summary>ValidateLabels: keys as qualified names, values as label values; field is the map's path.</summary>
    public static IEnumerable<StatusCause> ValidateLabels(JsonObject? labels, string field)
    {
        if (labels is null) yield break;
        foreach (var (k, v) in labels.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var m in IsQualifiedName(k)) yield return FieldErrors.InvalidString(field, k, m);
            var value = v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? "";
            foreach (var m in IsValidLabelValue(value)) yield return FieldErrors.InvalidString(field, value, m);
        }
    }

    /// <summary>ValidateAnnotations: keys (lower-cased) as qualified names, total size at most 256 KiB.</summary>
    public static IEnumerable<StatusCause> ValidateAnnotations(JsonObject? annotations, string field)
    {
        if (annotations is null) yield break;
        long total = 0;
        foreach (var (k, v) in annotations.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var m in IsQualifiedName(k.ToLowerInvariant())) yield return FieldErrors.InvalidString(field, k, m);
            total += k.Length + (v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s.Length : 0);
        }
        if (total > 256 * 1024) yield return FieldErrors.TooLong(field, 256 * 1024);
    }
}
