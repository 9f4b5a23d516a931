using GitOps.Engine.Health.Rules;
using GitOps.Engine.Model;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace GitOps.Operator.Applications;

/// <summary>spec of a gitops.dev/v1alpha1 Application (field names follow Argo CD's).</summary>
public sealed record ApplicationSpec
{
    /// <summary>The Project that bounds this Application; "default" when empty.</summary>
    public string Project { get; set; } = "";
    public SourceSpecModel Source { get; set; } = new();
    public DestinationSpec Destination { get; set; } = new();
    public SyncPolicySpec? SyncPolicy { get; init; }
    /// <summary>How SOPS-encrypted files in the source are decrypted (absent: they are refused).</summary>
    public DecryptionSpec? Decryption { get; init; }
    public IReadOnlyList<IgnoreDifferenceSpec> IgnoreDifferences { get; set; } = [];
    /// <summary>User-defined health rules per kind (CEL, Flux's healthCheckExprs shape).</summary>
    public IReadOnlyList<HealthCheckRule> HealthChecks { get; set; } = [];
    public string Interval { get; set; } = "3m";
    public bool Suspend { get; init; }
    /// <summary>Applications that must be Ready at their current revision and Healthy before this one syncs.</summary>
    public IReadOnlyList<DependencyRef> DependsOn { get; set; } = [];

    public static ApplicationSpec Parse(JsonObject application) =>
        application["spec"]?.Deserialize(SpecJson.Default.ApplicationSpec) ?? new ApplicationSpec();

    /// <summary>The interval as a TimeSpan ("3m", "1h30m", "45s", "500ms"); 3 minutes when unreadable.</summary>
    public TimeSpan IntervalValue => Durations.TryParse(Interval, out var d) && d > TimeSpan.Zero ? d : TimeSpan.FromMinutes(3);
}

/// <summary>One entry of spec.dependsOn: an Application by name, in this Application's namespace unless one is given.</summary>
public sealed record DependencyRef
{
    public string Name { get; set; } = "";
    public string? Namespace { get; init; }
}

public sealed record SourceSpecModel
{
    public string RepoURL { get; set; } = "";
    public string TargetRevision { get; set; } = "HEAD";
    public string Path { get; set; } = ".";
    public DirectorySpec Directory { get; set; } = new();
    public JsonObject? Kustomize { get; init; }
    public JsonObject? Helm { get; init; }
    public string? Chart { get; init; }
    public SecretRefSpec? SecretRef { get; init; }
}

public sealed record DirectorySpec
{
    public bool Recurse { get; init; }
    public string Include { get; set; } = "";
    public string Exclude { get; set; } = "";
}

public sealed record SecretRefSpec
{
    public string Name { get; set; } = "";
}

/// <summary>spec.decryption, as Flux spells it: provider sops, age identities in the Secret's <c>*.agekey</c> entries.</summary>
public sealed record DecryptionSpec
{
    public const string Sops = "sops";

    public string Provider { get; set; } = Sops;
    public SecretRefSpec? SecretRef { get; init; }
}

public sealed record DestinationSpec
{
    public string Namespace { get; set; } = "";
    public string ServiceAccountName { get; set; } = "";
    /// <summary>A cluster registered with <c>gitops cluster add</c>; empty or in-cluster for the operator's own.</summary>
    public string ClusterName { get; set; } = "";
    /// <summary>A cluster reached with a kubeconfig from a Secret of the Application's namespace.</summary>
    public ClusterSpec? Cluster { get; init; }
}

/// <summary>destination.cluster: Flux's kubeConfig shape.</summary>
public sealed record ClusterSpec
{
    public KubeconfigSecretRef? SecretRef { get; init; }
}

/// <summary>A Secret of the Application's namespace holding a kubeconfig under <see cref="Key"/> (default <c>value</c>).</summary>
public sealed record KubeconfigSecretRef
{
    public string Name { get; set; } = "";
    public string? Key { get; init; }
}

public sealed record SyncPolicySpec
{
    public AutomatedSpec? Automated { get; init; }
    public IReadOnlyList<string> SyncOptions { get; set; } = [];
    public RetrySpec? Retry { get; init; }
    public JsonNode? PruneLimit { get; init; }

    public bool HasOption(string option) =>
        SyncOptions.Any(o => string.Equals(o.Replace(" ", "", StringComparison.Ordinal), option, StringComparison.OrdinalIgnoreCase));
}

public sealed record AutomatedSpec
{
    public bool Prune { get; init; }
    public bool SelfHeal { get; init; }
    public bool AllowEmpty { get; init; }
}

public sealed record RetrySpec
{
    public int Limit { get; set; } = 5;
    public BackoffSpec Backoff { get; set; } = new();

    /// <summary>The retry policy this spells (an unreadable duration counts as none).</summary>
    public Engine.Operation.RetryPolicy ToPolicy()
    {
        Durations.TryParse(Backoff.Duration, out var first);
        Durations.TryParse(Backoff.MaxDuration, out var max);
        return new Engine.Operation.RetryPolicy(Limit, first, Backoff.Factor, max);
    }
}

public sealed record BackoffSpec
{
    public string Duration { get; set; } = "5s";
    public int Factor { get; set; } = 2;
    public string MaxDuration { get; set; } = "3m";
}

public sealed record IgnoreDifferenceSpec
{
    public string Group { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Name { get; init; }
    public string? Namespace { get; init; }
    public IReadOnlyList<string> JsonPointers { get; set; } = [];
    public IReadOnlyList<string> ManagedFieldsManagers { get; set; } = [];
}
