using GitOps.Operator.Applications;

namespace GitOps.Operator.Cluster;

/// <summary>
/// How an Application's writes are made: as whom (every dry run, apply, prune, cascade delete and
/// namespace creation it causes), and with which field validation.
/// </summary>
/// <param name="Impersonate">The user the writes act as; null for the operator's own identity.</param>
/// <param name="FieldValidation">Strict (a field the kind does not declare fails the object, as kubectl apply does) or Ignore (sync option Validate=false).</param>
public sealed record WriteOptions(string? Impersonate, string FieldValidation)
{
    public const string Strict = "Strict";
    public const string Ignore = "Ignore";

    /// <summary>The operator's own identity, strict validation.</summary>
    public static WriteOptions Operator { get; } = new(null, Strict);

    /// <summary>
    /// The user an Application acts as: its destination.serviceAccountName, else its Project's, else the
    /// operator's --default-service-account (impersonation made compulsory, as Flux's lockdown), all in
    /// the Application's namespace; the operator itself only when none is set.
    /// </summary>
    public static WriteOptions For(Application app, string? projectServiceAccount, string? defaultServiceAccount)
    {
        ArgumentNullException.ThrowIfNull(app);
        var account = new[] { app.Spec.Destination.ServiceAccountName, projectServiceAccount, defaultServiceAccount }.FirstOrDefault(a => !string.IsNullOrEmpty(a));
        var validation = app.Spec.SyncPolicy?.HasOption("Validate=false") == true ? Ignore : Strict;
        return new WriteOptions(account is null ? null : $"system:serviceaccount:{app.Namespace}:{account}", validation);
    }
}
