namespace GitOps.Sandbox.Patching;

/// <summary>Which Status a failed patch becomes (see <see cref="PatchException"/>).</summary>
public enum PatchFailure
{
    /// <summary>400, reason "BadRequest": the patch itself cannot be decoded.</summary>
    BadRequest,

    /// <summary>422, reason "Invalid": the patch is well formed but does not apply.</summary>
    Invalid,

    /// <summary>500, reason "" (unknown): apimachinery returned a plain error that is not a Status.</summary>
    Internal,
}
