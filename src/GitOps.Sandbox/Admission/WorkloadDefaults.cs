using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>apps/v1 defaults (Deployment, StatefulSet, DaemonSet, ReplicaSet) and ReplicationController.</summary>
internal static class WorkloadDefaults
{
    public static void Deployment(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec) return;
        if (Json.Missing(spec, "replicas")) spec["replicas"] = 1;
        Template(spec);
        var strategy = Json.Ensure(spec, "strategy");
        Json.Default(strategy, "type", "RollingUpdate");
        if (Json.Str(strategy, "type") == "RollingUpdate")
        {
            var rolling = Json.Ensure(strategy, "rollingUpdate");
            if (Json.Missing(rolling, "maxUnavailable")) rolling["maxUnavailable"] = "25%";
            if (Json.Missing(rolling, "maxSurge")) rolling["maxSurge"] = "25%";
        }
        if (Json.Missing(spec, "revisionHistoryLimit")) spec["revisionHistoryLimit"] = 10;
        if (Json.Missing(spec, "progressDeadlineSeconds")) spec["progressDeadlineSeconds"] = 600;
    }

    public static void StatefulSet(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec) return;
        if (Json.Missing(spec, "replicas")) spec["replicas"] = 1;
        Template(spec);
        foreach (var claim in Json.Objects(Json.Arr(spec, "volumeClaimTemplates")))
        {
            Json.Default(claim, "apiVersion", "v1");
            Json.Default(claim, "kind", "PersistentVolumeClaim");
            CoreDefaults.PersistentVolumeClaim(claim);
        }
        Json.Default(spec, "podManagementPolicy", "OrderedReady");
        var strategy = Json.Ensure(spec, "updateStrategy");
        if (Json.MissingOrEmpty(strategy, "type"))
        {
            strategy["type"] = "RollingUpdate";
            Json.Ensure(strategy, "rollingUpdate");
        }
        if (Json.Str(strategy, "type") == "RollingUpdate" && strategy["rollingUpdate"] is JsonObject rolling && Json.Missing(rolling, "partition"))
            rolling["partition"] = 0;
        if (Json.Missing(spec, "revisionHistoryLimit")) spec["revisionHistoryLimit"] = 10;
    }

    public static void DaemonSet(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec) return;
        Template(spec);
        var strategy = Json.Ensure(spec, "updateStrategy");
        Json.Default(strategy, "type", "RollingUpdate");
        if (Json.Str(strategy, "type") == "RollingUpdate")
        {
            var rolling = Json.Ensure(strategy, "rollingUpdate");
            if (Json.Missing(rolling, "maxUnavailable")) rolling["maxUnavailable"] = 1;
            if (Json.Missing(rolling, "maxSurge")) rolling["maxSurge"] = 0;
        }
        if (Json.Missing(spec, "revisionHistoryLimit")) spec["revisionHistoryLimit"] = 10;
        // The create strategy starts the template generation at 1.
        var metadata = Json.Ensure(obj, "metadata");
        var annotations = Json.Ensure(metadata, "annotations");
        Json.Default(annotations, "deprecated.daemonset.template.generation", "1");
    }

    public static void ReplicaSet(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec) return;
        if (Json.Missing(spec, "replicas")) spec["replicas"] = 1;
        Template(spec);
    }

    public static void ReplicationController(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec) return;
        Template(spec);
        if (Json.Obj(Json.Obj(spec, "template"), "metadata")?["labels"] is JsonObject { Count: > 0 } labels)
        {
            if (spec["selector"] is not JsonObject { Count: > 0 }) spec["selector"] = labels.DeepClone();
            var metadata = Json.Ensure(obj, "metadata");
            if (metadata["labels"] is not JsonObject { Count: > 0 }) metadata["labels"] = labels.DeepClone();
        }
        if (Json.Missing(spec, "replicas")) spec["replicas"] = 1;
    }

    private static void Template(JsonObject spec)
    {
        if (spec["template"] is JsonObject template) PodDefaults.ApplyTemplate(template);
    }
}
