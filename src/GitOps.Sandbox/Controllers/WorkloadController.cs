using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Schema;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Controllers;

/// <summary>
/// Simulated workload controllers (Deployment with its ReplicaSets and revisions, ReplicaSet,
/// StatefulSet, DaemonSet, Job): after a spec change the object reports a rollout, and after
/// <see cref="SandboxOptions.WorkloadReadyDelay"/> it is ready (or failed, when annotated with
/// <see cref="WorkloadStatus.FailAnnotation"/>). No pods are made: that is a documented difference.
/// </summary>
internal sealed class WorkloadController(ControllerContext context) : IController
{
    private static readonly HashSet<(string Group, string Resource)> Kinds =
    [
        ("apps", "deployments"), ("apps", "replicasets"), ("apps", "statefulsets"), ("apps", "daemonsets"), ("batch", "jobs"),
    ];

    private readonly ConcurrentDictionary<ObjectKey, long> _rollingOut = new();

    public void OnEvent(StoreEvent e)
    {
        if (e.Type == StoreEventType.Deleted || !Kinds.Contains((e.Key.Resource.Group, e.Key.Resource.Resource))) return;
        if (ObjectMeta.IsDeleting(e.Object)) return;
        var generation = ObjectMeta.Long(e.Object, "generation") ?? 1;
        var observed = (long?)e.Object["status"]?["observedGeneration"];
        var kind = (string)e.Object["kind"]!;
        if (kind == "Job" && e.Object["status"]?["conditions"] is JsonArray { Count: > 0 } && WorkloadStatus.Failure(e.Object) is null) return;
        if (observed != generation && kind != "Job" || (kind == "Job" && e.Type == StoreEventType.Added))
        {
            if (_rollingOut.TryGetValue(e.Key, out var g) && g == generation) return;
            _rollingOut[e.Key] = generation;
            Write(e.Key, WorkloadStatus.Phase.RollingOut);
            context.After(context.Options.WorkloadReadyDelay, () =>
            {
                _rollingOut.TryRemove(e.Key, out _);
                Settle(e.Key);
            });
            return;
        }
        if (!_rollingOut.ContainsKey(e.Key)) Settle(e.Key);
    }

    private void Settle(ObjectKey key)
    {
        var current = context.Store.Get(key);
        if (current is null) return;
        Write(key, WorkloadStatus.Failure(current) is null ? WorkloadStatus.Phase.Ready : WorkloadStatus.Phase.Failed);
    }

    private void Write(ObjectKey key, WorkloadStatus.Phase phase)
    {
        // A real controller retries on conflict; so does this one, a few times, from a fresh read.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                WriteOnce(key, phase);
                return;
            }
            catch (StatusException e) when (e.Code == 409) { }
        }
    }

    private void WriteOnce(ObjectKey key, WorkloadStatus.Phase phase)
    {
        var current = context.Store.Get(key);
        var type = context.TypeOf(key.Resource);
        if (current is null || type is null) return;
        var kind = type.Kind;
        var updated = current.DeepClone().AsObject();
        string? child = null;
        if (kind == "Deployment")
        {
            (child, var revision) = EnsureReplicaSet(current);
            // SetDeploymentRevision: the new ReplicaSet's revision, written with the status (UpdateStatus,
            // whose strategy keeps the request's annotations).
            var annotations = ObjectMeta.Meta(updated)["annotations"] as JsonObject ?? [];
            if ((string?)annotations[DeploymentRevisions.Revision] != revision)
            {
                annotations[DeploymentRevisions.Revision] = revision;
                ObjectMeta.Meta(updated)["annotations"] = annotations.DeepClone();
            }
        }
        updated["status"] = WorkloadStatus.For(kind, current, phase, ObjectMeta.Timestamp(context.Clock.Now), child);
        GoEncoding.Encode(updated, type.Group, type.Version, kind);
        if (WorkloadStatus.SameIgnoringTimes(current["status"], updated["status"])
            && JsonNode.DeepEquals(current["metadata"]?["annotations"], updated["metadata"]?["annotations"])) return;
        context.UpdateStatus(type, updated, updated["status"]!.DeepClone().AsObject());
    }

    /// <summary>
    /// The Deployment's new ReplicaSet (the one with its template), created when the template is new
    /// with the next revision (one more than the highest of the older ones, as getNewReplicaSet
    /// does), or given that revision again when an older template comes back; older ones are scaled
    /// to zero. Returns its name and revision.
    /// </summary>
    private (string Name, string Revision) EnsureReplicaSet(JsonObject deployment)
    {
        var rsType = context.Type("apps", "replicasets");
        var ns = ObjectMeta.Namespace(deployment);
        var hash = TemplateHash.Of(deployment);
        var name = $"{ObjectMeta.Name(deployment)}-{hash}";
        var uid = ObjectMeta.Str(deployment, "uid");
        var replicas = (long?)deployment["spec"]?["replicas"] ?? 1;
        var maxReplicas = replicas + DeploymentRevisions.MaxSurge(deployment, replicas);
        var owned = context.Store.List(rsType.GroupResource, ns).Items
            .Where(rs => rs["metadata"]?["ownerReferences"] is JsonArray refs && refs.Any(r => (string?)r?["uid"] == uid))
            .ToList();
        var newRevision = (owned.Where(rs => ObjectMeta.Name(rs) != name).Select(DeploymentRevisions.Of).DefaultIfEmpty(0).Max() + 1)
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var old in owned.Where(rs => ObjectMeta.Name(rs) != name && ((long?)rs["spec"]?["replicas"] ?? 0) != 0))
        {
            var scaled = old.DeepClone().AsObject();
            scaled["spec"]!["replicas"] = 0;
            DeploymentRevisions.SetReplicas(scaled, replicas, maxReplicas);
            ControllerContext.Try(() => context.Writer.Update(rsType, ns, ObjectMeta.Name(old), scaled, new WriteOptions(WriteOperation.Update, ControllerContext.Manager, null, false)));
        }
        var existing = owned.FirstOrDefault(rs => ObjectMeta.Name(rs) == name);
        if (existing is null)
        {
            var template = deployment["spec"]?["template"]?.DeepClone().AsObject() ?? new JsonObject();
            var labels = template["metadata"]?["labels"]?.DeepClone().AsObject() ?? new JsonObject();
            labels["pod-template-hash"] = hash;
            ObjectMeta.Meta(template)["labels"] = labels.DeepClone();
            var selector = deployment["spec"]?["selector"]?.DeepClone().AsObject() ?? new JsonObject();
            var matchLabels = selector["matchLabels"]?.DeepClone().AsObject() ?? new JsonObject();
            matchLabels["pod-template-hash"] = hash;
            selector["matchLabels"] = matchLabels;
            var rs = new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "ReplicaSet",
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["namespace"] = ns,
                    ["labels"] = labels,
                    ["ownerReferences"] = new JsonArray(new JsonObject
                    {
                        ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = ObjectMeta.Name(deployment), ["uid"] = uid,
                        ["controller"] = true, ["blockOwnerDeletion"] = true,
                    }),
                },
                ["spec"] = new JsonObject { ["replicas"] = replicas, ["selector"] = selector, ["template"] = template },
            };
            if (deployment["spec"]?["minReadySeconds"] is { } minReady) rs["spec"]!["minReadySeconds"] = minReady.DeepClone();
            DeploymentRevisions.SetNewReplicaSetAnnotations(deployment, rs, newRevision);
            DeploymentRevisions.SetReplicas(rs, replicas, maxReplicas);
            ControllerContext.Try(() => context.Writer.Create(rsType, ns, rs, new WriteOptions(WriteOperation.Create, ControllerContext.Manager, null, false)));
            return (name, newRevision);
        }
        var copy = existing.DeepClone().AsObject();
        DeploymentRevisions.SetNewReplicaSetAnnotations(deployment, copy, newRevision);
        if (((long?)copy["spec"]?["replicas"] ?? 0) != replicas)
        {
            copy["spec"]!["replicas"] = replicas;
            DeploymentRevisions.SetReplicas(copy, replicas, maxReplicas);
        }
        if (!JsonNode.DeepEquals(copy, existing))
            ControllerContext.Try(() => context.Writer.Update(rsType, ns, name, copy, new WriteOptions(WriteOperation.Update, ControllerContext.Manager, null, false)));
        return (name, (string?)copy["metadata"]?["annotations"]?[DeploymentRevisions.Revision] ?? newRevision);
    }
}
