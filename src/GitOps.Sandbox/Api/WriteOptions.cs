using GitOps.Sandbox.Decoding;

namespace GitOps.Sandbox.Api;

public enum WriteOperation { Create, Update, Patch, Apply }

/// <summary>
/// What a write request asked for, from its URL and query. <paramref name="FieldValidation"/> and
/// <paramref name="Warnings"/> matter to patches (the writer decodes what they produce); writes
/// of the simulated controllers keep the defaults.
/// </summary>
public sealed record WriteOptions(
    WriteOperation Operation,
    string Manager,
    string? Subresource,
    bool DryRun,
    bool Force = false,
    FieldValidation FieldValidation = FieldValidation.Ignore,
    WarningRecorder? Warnings = null)
{
    /// <summary>The request's user and attributes, for the storage's own checks (RBAC escalation); null for the sandbox's own writes.</summary>
    internal Auth.RequestAttributes? Requester { get; init; }
}
