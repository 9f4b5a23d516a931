namespace GitOps.Operator.Apply;

/// <summary>How long the apply stage waits for CRDs to be Established (and re-created objects to be gone) before it gives up on them.</summary>
public sealed record ApplyOptions(TimeSpan EstablishTimeout)
{
    public static ApplyOptions Default { get; } = new(TimeSpan.FromSeconds(30));
}
