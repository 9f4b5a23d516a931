using GitOps.Sandbox.Admission;
using GitOps.Sandbox.Api;

namespace GitOps.Sandbox.Decoding;

/// <summary>
/// The fieldValidation parameter of create, update and patch: what the server does with fields
/// the kind's schema does not declare (and, for JSON and YAML bodies, with duplicate fields).
/// </summary>
public enum FieldValidation
{
    /// <summary>Unknown fields are dropped silently.</summary>
    Ignore,

    /// <summary>Unknown fields are dropped, each with a Warning header (the default since 1.23).</summary>
    Warn,

    /// <summary>The request fails with 400 (422 for a patch) listing every unknown field.</summary>
    Strict,
}

public static class FieldValidationParameter
{
    // apimachinery's allowedFieldValidationValues, printed as sets.String.List() sorts them.
    private static readonly string[] Allowed = ["", "Ignore", "Strict", "Warn"];

    /// <summary>
    /// The directive of a request: absent or empty means Warn, as kube-apiserver's fieldValidation()
    /// defaults it. Any other value fails like ValidateCreateOptions/UpdateOptions/PatchOptions:
    /// 422 <c>CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: ...</c>.
    /// </summary>
    public static FieldValidation Parse(string? value, string optionsKind, IReadOnlyList<StatusCause>? otherCauses = null)
    {
        var causes = new List<StatusCause>(otherCauses ?? []);
        var directive = value switch
        {
            null or "" or "Warn" => FieldValidation.Warn,
            "Ignore" => FieldValidation.Ignore,
            "Strict" => FieldValidation.Strict,
            _ => (FieldValidation?)null,
        };
        if (directive is null) causes.Add(FieldErrors.NotSupported("fieldValidation", GoFormat.Quote(value!), Allowed));
        if (causes.Count > 0) throw StatusException.FromStatus(AdmissionStatus.InvalidStatus("meta.k8s.io", optionsKind, "", causes));
        return directive!.Value;
    }
}
