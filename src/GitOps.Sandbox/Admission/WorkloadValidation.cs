using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>apps/v1 and batch/v1 spec validation: selectors against template labels, pod templates.</summary>
internal static class WorkloadValidation
{
    private const string Mismatch = "`selector` does not match template `labels`";

    /// <summary>Deployment, ReplicaSet, StatefulSet ("statefulset") and DaemonSet ("daemonset") specs.</summary>
    public static IEnumerable<StatusCause> ReplicatedSpec(JsonObject spec, string kindWord, bool replicaSetRules)
    {
        var errs = new List<StatusCause>();
        if (kindWord != "daemonset" && Json.Long(spec, "replicas") is < 0 and var r)
            errs.Add(FieldErrors.Invalid("spec.replicas", $"{r}", "must be greater than or equal to 0"));
        var selector = Json.Obj(spec, "selector");
        if (selector is null)
        {
            if (kindWord != "daemonset") errs.Add(FieldErrors.Required("spec.selector"));
        }
        else
        {
            errs.AddRange(LabelSelector(selector, "spec.selector"));
            if (kindWord != "daemonset" && IsEmpty(selector))
                errs.Add(FieldErrors.Invalid("spec.selector", GoValues.LabelSelector(selector), $"empty selector is invalid for {kindWord}"));
        }
        var template = Json.Obj(spec, "template");
        var labels = Json.Obj(Json.Obj(template, "metadata"), "labels");
        // A nil selector selects nothing; an empty one everything (and is only checked above).
        if (selector is null || (!IsEmpty(selector) && !Matches(selector, labels)))
            errs.Add(FieldErrors.Invalid("spec.template.metadata.labels", GoFormat.StringMap(labels), Mismatch));
        if (kindWord == "daemonset" && selector is not null && IsEmpty(selector))
            errs.Add(FieldErrors.Invalid("spec.selector", GoValues.LabelSelector(selector), "empty selector is invalid for daemonset"));
        errs.AddRange(PodValidation.Template(template, "spec.template"));
        var restart = Json.Str(Json.Obj(template, "spec"), "restartPolicy") ?? "";
        if (restart != "Always" && (replicaSetRules || kindWord == "statefulset"))
            errs.Add(FieldErrors.NotSupported("spec.template.spec.restartPolicy", GoFormat.Quote(restart), ["Always"]));
        if (replicaSetRules && kindWord != "daemonset" && Json.Obj(template, "spec")?["activeDeadlineSeconds"] is { } ads)
            errs.Add(FieldErrors.Invalid("spec.template.spec.activeDeadlineSeconds", ads.ToJsonString(), "activeDeadlineSeconds in ReplicaSet is not Supported"));
        return errs;
    }

    public static IEnumerable<StatusCause> Job(JsonObject spec, string path)
    {
        var errs = new List<StatusCause>();
        foreach (var f in new[] { "parallelism", "completions", "activeDeadlineSeconds", "backoffLimit" })
            if (Json.Long(spec, f) is < 0 and var v) errs.Add(FieldErrors.Invalid($"{path}.{f}", $"{v}", "must be greater than or equal to 0"));
        var selector = Json.Obj(spec, "selector");
        var template = Json.Obj(spec, "template");
        if (selector is null) errs.Add(FieldErrors.Required($"{path}.selector"));
        else
        {
            errs.AddRange(LabelSelector(selector, $"{path}.selector"));
            var labels = Json.Obj(Json.Obj(template, "metadata"), "labels");
            if (!IsEmpty(selector) && !Matches(selector, labels))
                errs.Add(FieldErrors.Invalid($"{path}.template.metadata.labels", GoFormat.StringMap(labels), Mismatch));
        }
        errs.AddRange(JobTemplate(template, $"{path}.template"));
        return errs;
    }

    public static IEnumerable<StatusCause> CronJob(JsonObject spec)
    {
        var errs = new List<StatusCause>();
        if ((Json.Str(spec, "schedule") ?? "").Length == 0) errs.Add(FieldErrors.Required("spec.schedule"));
        var policy = Json.Str(spec, "concurrencyPolicy") ?? "";
        if (policy.Length == 0) errs.Add(FieldErrors.Required("spec.concurrencyPolicy"));
        else if (policy is not ("Allow" or "Forbid" or "Replace"))
            errs.Add(FieldErrors.NotSupported("spec.concurrencyPolicy", GoFormat.Quote(policy), ["Allow", "Forbid", "Replace"]));
        var jobSpec = Json.Obj(Json.Obj(spec, "jobTemplate"), "spec");
        errs.AddRange(JobTemplate(Json.Obj(jobSpec, "template"), "spec.jobTemplate.spec.template"));
        return errs;
    }

    private static IEnumerable<StatusCause> JobTemplate(JsonObject? template, string path)
    {
        var errs = new List<StatusCause>(PodValidation.Template(template, path));
        var restart = Json.Str(Json.Obj(template, "spec"), "restartPolicy") ?? "";
        if (restart is not ("OnFailure" or "Never"))
            errs.Add(FieldErrors.NotSupported($"{path}.spec.restartPolicy", GoFormat.Quote(restart), ["OnFailure", "Never"]));
        return errs;
    }

    public static IEnumerable<StatusCause> LabelSelector(JsonObject selector, string path)
    {
        foreach (var c in NameRules.ValidateLabels(Json.Obj(selector, "matchLabels"), path + ".matchLabels")) yield return c;
        var i = 0;
        foreach (var expr in Json.Objects(Json.Arr(selector, "matchExpressions")))
        {
            var p = $"{path}.matchExpressions[{i++}]";
            var op = Json.Str(expr, "operator") ?? "";
            var count = Json.Arr(expr, "values")?.Count ?? 0;
            switch (op)
            {
                case "In" or "NotIn":
                    if (count == 0) yield return FieldErrors.Required(p + ".values", "must be specified when `operator` is 'In' or 'NotIn'");
                    break;
                case "Exists" or "DoesNotExist":
                    if (count > 0) yield return FieldErrors.Forbidden(p + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                    break;
                default:
                    yield return FieldErrors.InvalidString(p + ".operator", op, "not a valid selector operator");
                    break;
            }
            var key = Json.Str(expr, "key") ?? "";
            foreach (var m in NameRules.IsQualifiedName(key)) yield return FieldErrors.InvalidString(p + ".key", key, m);
        }
    }

    private static bool IsEmpty(JsonObject selector) =>
        (Json.Obj(selector, "matchLabels")?.Count ?? 0) + (Json.Arr(selector, "matchExpressions")?.Count ?? 0) == 0;

    /// <summary>Whether a label selector selects an object with these labels.</summary>
    internal static bool Matches(JsonObject selector, JsonObject? labels)
    {
        string? Label(string k) => labels?[k] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        foreach (var (k, v) in Json.Obj(selector, "matchLabels") ?? [])
            if (Label(k) != (v as JsonValue)?.GetValue<string>()) return false;
        foreach (var expr in Json.Objects(Json.Arr(selector, "matchExpressions")))
        {
            var value = Label(Json.Str(expr, "key") ?? "");
            var values = (Json.Arr(expr, "values") ?? []).Select(x => x?.GetValue<string>()).ToList();
            var ok = Json.Str(expr, "operator") switch
            {
                "In" => value is not null && values.Contains(value),
                "NotIn" => value is null || !values.Contains(value),
                "Exists" => value is not null,
                "DoesNotExist" => value is null,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }
}
