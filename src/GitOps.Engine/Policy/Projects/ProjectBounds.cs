using GitOps.Engine.Model;

namespace GitOps.Engine.Policy.Projects;

/// <summary>What an Application asks of its Project before anything is fetched.</summary>
/// <param name="RegisteredCluster">The registered destination cluster (destination.clusterName); null for the operator's own cluster or the Application's own kubeconfig.</param>
public sealed record ApplicationFacts(string RepoUrl, string DestinationNamespace, string? ServiceAccountName, string? RegisteredCluster = null);

/// <summary>
/// Whether an Application and the objects it renders stay inside its Project. Every violation
/// blocks and names the rule (the Project field) it breaks.
/// </summary>
public static class ProjectBounds
{
    /// <summary>Source repository, destination namespace and service account: checked before the source is fetched.</summary>
    public static PolicyReport CheckApplication(Project project, ApplicationFacts app)
    {
        var violations = new List<Violation>();
        if (!Wildcard.Allows(project.SourceRepos, app.RepoUrl))
            violations.Add(Deny("sourceRepos", $"repository {app.RepoUrl} is not one of {project}'s sourceRepos ({List(project.SourceRepos)})"));
        if (app.DestinationNamespace.Length > 0 && !Wildcard.Allows(project.DestinationNamespaces, app.DestinationNamespace))
            violations.Add(Deny("destinations", $"destination namespace {app.DestinationNamespace} is not one of {project}'s destinations ({List(project.DestinationNamespaces)})"));
        if (app.RegisteredCluster is { } cluster && !Wildcard.Allows(project.DestinationClusters, cluster))
            violations.Add(Deny("destinations", $"cluster {cluster} is not one of {project}'s destinations (destinations[].name: {List(project.DestinationClusters)})"));
        // An Application naming no service account acts as the Project's; naming another one is out of bounds.
        if (project.ServiceAccountName is { } required && !string.IsNullOrEmpty(app.ServiceAccountName) && app.ServiceAccountName != required)
            violations.Add(Deny("serviceAccountName", $"{project} requires destination.serviceAccountName {required} (or none), not {app.ServiceAccountName}"));
        return new PolicyReport(violations);
    }

    /// <summary>Each rendered object: its namespace among the destinations, its kind allowed.</summary>
    public static PolicyReport CheckObjects(Project project, IReadOnlyList<Manifest> desired)
    {
        var violations = new List<Violation>();
        foreach (var m in desired)
        {
            var gk = m.GroupKind;
            if (m.Namespace.Length == 0)
            {
                if (!project.ClusterResourceWhitelist.Any(p => p.Matches(gk)) || project.ClusterResourceBlacklist.Any(p => p.Matches(gk)))
                    violations.Add(Deny("clusterResourceWhitelist", $"cluster-scoped {gk} is not allowed by {project}", m.Key));
                continue;
            }
            if (!Wildcard.Allows(project.DestinationNamespaces, m.Namespace))
                violations.Add(Deny("destinations", $"namespace {m.Namespace} is not one of {project}'s destinations ({List(project.DestinationNamespaces)})", m.Key));
            if (project.NamespaceResourceBlacklist.Any(p => p.Matches(gk)))
                violations.Add(Deny("namespaceResourceBlacklist", $"{gk} is denied by {project}", m.Key));
            else if (project.NamespaceResourceWhitelist is { } allowed && !allowed.Any(p => p.Matches(gk)))
                violations.Add(Deny("namespaceResourceWhitelist", $"{gk} is not in {project}'s namespaceResourceWhitelist", m.Key));
        }
        return new PolicyReport(violations);
    }

    private static Violation Deny(string rule, string message, ResourceKey? key = null) => new(key, rule, message, PolicyAction.Block);

    private static string List(IEnumerable<string> patterns) => string.Join(", ", patterns.DefaultIfEmpty("none"));
}
