using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>batch/v1 defaults, with the Job create strategy's generated selector and labels.</summary>
internal static class BatchDefaults
{
    public static void Job(JsonObject obj, IAllocator allocator)
    {
        var metadata = Json.Ensure(obj, "metadata");
        if (obj["spec"] is not JsonObject spec) return;
        JobSpec(spec);

        // PrepareForCreate: generate the selector unless spec.manualSelector is true.
        if (Json.Bool(spec, "manualSelector") != true)
        {
            if (Json.MissingOrEmpty(metadata, "uid")) metadata["uid"] = allocator.NewUid();
            var uid = Json.Str(metadata, "uid")!;
            var template = Json.Ensure(spec, "template");
            var templateLabels = Json.Ensure(Json.Ensure(template, "metadata"), "labels");
            if (!templateLabels.ContainsKey("job-name")) templateLabels["job-name"] = Json.Str(metadata, "name") ?? "";
            if (!templateLabels.ContainsKey("controller-uid")) templateLabels["controller-uid"] = uid;
            var matchLabels = Json.Ensure(Json.Ensure(spec, "selector"), "matchLabels");
            if (!matchLabels.ContainsKey("controller-uid")) matchLabels["controller-uid"] = uid;
        }
        // Tracking with finalizers (1.26) marks new Jobs.
        Json.Default(Json.Ensure(metadata, "annotations"), "batch.kubernetes.io/job-tracking", "");
        // SetDefaults_Job copies the template labels to the Job when it has none (seen on read-back).
        if (Json.Obj(Json.Obj(spec, "template"), "metadata")?["labels"] is JsonObject labels && metadata["labels"] is not JsonObject { Count: > 0 })
            metadata["labels"] = labels.DeepClone();
    }

    private static void JobSpec(JsonObject spec)
    {
        if (Json.Missing(spec, "completions") && Json.Missing(spec, "parallelism"))
        {
            spec["completions"] = 1;
            spec["parallelism"] = 1;
        }
        if (Json.Missing(spec, "parallelism")) spec["parallelism"] = 1;
        if (Json.Missing(spec, "backoffLimit")) spec["backoffLimit"] = 6;
        Json.Default(spec, "completionMode", "NonIndexed");
        if (Json.Missing(spec, "suspend")) spec["suspend"] = false;
        foreach (var rule in Json.Objects(Json.Arr(Json.Obj(spec, "podFailurePolicy"), "rules")))
            foreach (var pattern in Json.Objects(Json.Arr(rule, "onPodConditions")))
                Json.Default(pattern, "status", "True");
        if (spec["template"] is JsonObject template) PodDefaults.ApplyTemplate(template);
    }

    public static void CronJob(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec) return;
        Json.Default(spec, "concurrencyPolicy", "Allow");
        if (Json.Missing(spec, "suspend")) spec["suspend"] = false;
        if (Json.Missing(spec, "successfulJobsHistoryLimit")) spec["successfulJobsHistoryLimit"] = 3;
        if (Json.Missing(spec, "failedJobsHistoryLimit")) spec["failedJobsHistoryLimit"] = 1;
        if (Json.Obj(Json.Obj(Json.Obj(spec, "jobTemplate"), "spec"), "template") is { } template)
            PodDefaults.ApplyTemplate(template);
    }
}
