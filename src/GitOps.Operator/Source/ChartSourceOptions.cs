namespace GitOps.Operator.Source;

/// <summary>Where chart archives from Helm repositories and OCI registries are unpacked, and how long an index.yaml is trusted.</summary>
/// <param name="WorkDirectory">Private scratch space the charts are unpacked under.</param>
/// <param name="ChartIndexTtl">How long a Helm repository's index.yaml is trusted before it is fetched again.</param>
public sealed record ChartSourceOptions(string WorkDirectory, TimeSpan ChartIndexTtl);
