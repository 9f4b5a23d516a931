using System.Text.Json.Nodes;
using GitOps.Engine.Health;
using GitOps.Engine.Model;
using GitOps.Engine.Plan;
using GitOps.Operator.Applications;

namespace GitOps.Operator.Controller;

/// <summary>What one reconcile of one Application has learned so far; the status is built from it.</summary>
public sealed class ReconcileContext(JsonObject app, ApplicationSpec spec, DateTimeOffset now)
{
    public JsonObject App { get; } = app;
    public ApplicationSpec Spec { get; } = spec;
    public DateTimeOffset Now { get; } = now;
    public string Namespace => (string?)App["metadata"]?["namespace"] ?? "";
    public string Name => (string?)App["metadata"]?["name"] ?? "";
    public AppIdentity Identity => new(Namespace, Name);
    /// <summary>Field validation of every apply: Strict, unless the sync option Validate=false says Ignore.</summary>
    public string FieldValidation => Spec.SyncPolicy?.HasOption("Validate=false") == true ? Apply.ServerSideApplier.Ignore : Apply.ServerSideApplier.Strict;
    /// <summary>Who makes every write for this Application (dry runs, applies, prunes, namespaces): its service account, or the operator itself.</summary>
    public string? Impersonate => Apply.ServerSideApplier.ImpersonationFor(Namespace, Spec.Destination.ServiceAccountName, ProjectServiceAccount ?? DefaultServiceAccount);

    /// <summary>The service account the Application's Project requires (used when the Application names none).</summary>
    public string? ProjectServiceAccount { get; set; }

    /// <summary>Project bounds and guardrails broken by the rendered objects (null before the check ran).</summary>
    public Engine.Policy.PolicyReport? Violations { get; set; }

    /// <summary>Why a sync window held back a sync in this reconcile; null when none did.</summary>
    public string? SyncWindowMessage { get; set; }

    /// <summary>The operator's --default-service-account, used when the Application names none.</summary>
    public string? DefaultServiceAccount { get; init; }

    public long Generation => (long?)App["metadata"]?["generation"] ?? 0;
    public JsonObject PreviousStatus => App["status"] as JsonObject ?? new JsonObject();

    public string? Revision { get; set; }
    public string? RevisionMessage { get; set; }
    public bool RevisionChanged => Revision is not null && Revision != (string?)PreviousStatus["sync"]?["revision"];
    public IReadOnlyList<Manifest> Desired { get; set; } = [];
    /// <summary>Which renderer the source went through: kustomize, helm or directory (null before the render stage picks one).</summary>
    public string? Renderer { get; set; }
    /// <summary>An earlier reconcile started a sync of this revision whose later waves were still waiting: this one carries it on.</summary>
    public bool ContinuingSync { get; set; }
    /// <summary>A person asked for this sync: now (the sync annotation), or for the sync this reconcile carries on.</summary>
    public bool ManualOperation { get; set; }
    public SyncPlan? Plan { get; set; }

    /// <summary>Objects applied or pruned in this reconcile, and the failures, by object.</summary>
    public List<string> Applied { get; } = [];
    public List<string> Pruned { get; } = [];
    /// <summary>Objects deleted and created again because an update hit an immutable field (Force=true).</summary>
    public List<string> Recreated { get; } = [];
    public Dictionary<ResourceKey, string> Errors { get; } = [];
    public Dictionary<ResourceKey, JsonObject> LiveAfterSync { get; } = [];

    public Engine.Inventory.Inventory? Inventory { get; set; }
    public HealthStatus? Health { get; set; }
    public Dictionary<ResourceKey, HealthStatus?> ResourceHealth { get; } = [];

    /// <summary>The failure of a stage, as (condition type, reason, message); null while all went well.</summary>
    public (string Condition, string Reason, string Message)? Failure { get; set; }
    public bool Suspended { get; set; }
    public bool ManualSync { get; set; }
    public string? HandledSyncRequest { get; set; }
    public string? HandledRefreshRequest { get; set; }
    public bool SyncAttempted { get; set; }
    public bool Stalled { get; set; }
}
