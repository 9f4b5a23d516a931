namespace GitOps.Operator.Applications;

/// <summary>How a commit is shown to people.</summary>
public static class Revision
{
    /// <summary>The first 12 characters of a commit; empty when there is none.</summary>
    public static string Short(string? revision) => string.IsNullOrEmpty(revision) ? "" : revision[..Math.Min(12, revision.Length)];
}
