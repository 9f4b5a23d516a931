namespace GitOps.Sandbox.Admission;

/// <summary>
/// Constructors of field errors mirroring k8s.io/apimachinery/pkg/util/validation/field: the
/// message is the error body, values printed the way Go's fmt prints them.
/// </summary>
internal static class FieldErrors
{
    public static StatusCause Required(string field, string detail = "") =>
        new("FieldValueRequired", WithDetail("Required value", detail), field);

    public static StatusCause Forbidden(string field, string detail) =>
        new("FieldValueForbidden", WithDetail("Forbidden", detail), field);

    public static StatusCause TooLong(string field, int max) =>
        new("FieldValueTooLong", WithDetail("Too long", max >= 0 ? $"must have at most {max} bytes" : "value is too long"), field);

    /// <summary>Invalid with a value already formatted as Go prints it (see <see cref="GoFormat"/>).</summary>
    public static StatusCause Invalid(string field, string formattedValue, string detail) =>
        new("FieldValueInvalid", WithDetail($"Invalid value: {formattedValue}", detail), field);

    public static StatusCause InvalidString(string field, string value, string detail) =>
        Invalid(field, GoFormat.Quote(value), detail);

    public static StatusCause TypeInvalid(string field, string formattedValue, string detail) =>
        new("FieldValueTypeInvalid", WithDetail($"Invalid value: {formattedValue}", detail), field);

    public static StatusCause NotSupported(string field, string formattedValue, IEnumerable<string> supported)
    {
        var list = supported.ToList();
        var detail = list.Count == 0 ? "" : "supported values: " + string.Join(", ", list.Select(GoFormat.Quote));
        return new("FieldValueNotSupported", WithDetail($"Unsupported value: {formattedValue}", detail), field);
    }

    public static StatusCause Duplicate(string field, string formattedValue) =>
        new("FieldValueDuplicate", $"Duplicate value: {formattedValue}", field);

    public static StatusCause TooMany(string field, int actual, int max) =>
        new("FieldValueTooMany", WithDetail($"Too many: {actual}", max >= 0 ? $"must have at most {max} items" : "has too many items"), field);

    private static string WithDetail(string head, string detail) => detail.Length == 0 ? head : $"{head}: {detail}";
}
