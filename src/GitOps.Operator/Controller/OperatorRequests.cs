using GitOps.Operator.Applications;
using GitOps.Operator.Status;

namespace GitOps.Operator.Controller;

/// <summary>
/// What a person asked of an Application through its annotations and the operator has not acted on yet:
/// a sync, a refresh (look at Git again now), a rollback to a history entry.
/// </summary>
public sealed record OperatorRequests(string? Sync, string? Refresh, string? RollbackRevision)
{
    public static OperatorRequests Of(Application app, ApplicationStatus previous)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(previous);
        var sync = app.Annotation(Annotations.SyncRequestedAt);
        var refresh = app.Annotation(Annotations.RefreshRequestedAt);
        var rollback = long.TryParse(app.Annotation(Annotations.RollbackTo), out var id) ? previous.FindHistory(id)?.Revision : null;
        return new OperatorRequests(
            sync is not null && sync != previous.HandledRequests?.SyncRequestedAt ? sync : null,
            refresh is not null && refresh != previous.HandledRequests?.RefreshRequestedAt ? refresh : null,
            rollback);
    }
}
