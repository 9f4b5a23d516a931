namespace GitOps.Sandbox.Patching;

/// <summary>
/// A patch that cannot be applied. <see cref="Exception.Message"/> is exactly the message
/// kube-apiserver puts in its Status. The caller maps it to a Status this way:
/// <list type="bullet">
/// <item><see cref="PatchFailure.BadRequest"/>: code 400, reason "BadRequest", no details
/// (errors.NewBadRequest: undecodable JSON patch, "Invalid JSON Patch" merge patch, bad SMP directive format).</item>
/// <item><see cref="PatchFailure.Invalid"/>: code 422, reason "Invalid", details {} (an empty object, no causes)
/// (errors.NewGenericServerResponse(422): every JSON patch operation failure, whose message is always
/// "the server rejected our request due to an error in our request"; <see cref="Detail"/> keeps what went wrong).</item>
/// <item><see cref="PatchFailure.Internal"/>: code 500, reason omitted, no details (a plain Go error from
/// strategicpatch, e.g. a list element without its merge key).</item>
/// </list>
/// Status always carries kind "Status", apiVersion "v1", metadata {}, status "Failure".
/// </summary>
public sealed class PatchException : Exception
{
    public PatchException(string message, bool isInvalid)
        : this(message, isInvalid ? PatchFailure.Invalid : PatchFailure.BadRequest)
    {
    }

    public PatchException(string message, PatchFailure failure, string? detail = null)
        : base(message)
    {
        Failure = failure;
        Detail = detail ?? message;
    }

    public PatchFailure Failure { get; }

    /// <summary>True for 422 Invalid, false for 400 BadRequest and 500.</summary>
    public bool IsInvalid => Failure == PatchFailure.Invalid;

    /// <summary>The underlying cause (evanphx/json-patch error text), for logs; not sent to clients.</summary>
    public string Detail { get; }

    /// <summary>HTTP status code of the Status.</summary>
    public int Code => Failure switch
    {
        PatchFailure.BadRequest => 400,
        PatchFailure.Invalid => 422,
        _ => 500,
    };

    /// <summary>Status reason ("" means the field is omitted).</summary>
    public string Reason => Failure switch
    {
        PatchFailure.BadRequest => "BadRequest",
        PatchFailure.Invalid => "Invalid",
        _ => "",
    };

    /// <summary>The generic message of a 422 from NewGenericServerResponse.</summary>
    public const string RejectedMessage = "the server rejected our request due to an error in our request";

    internal static PatchException Rejected(string detail) => new(RejectedMessage, PatchFailure.Invalid, detail);

    internal static PatchException BadRequest(string message) => new(message, PatchFailure.BadRequest);

    internal static PatchException Internal(string message) => new(message, PatchFailure.Internal);
}
