using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>
/// The important create-time validation rules of kube-apiserver for built-in kinds, with the
/// exact field paths, cause types and messages (k8s.io/kubernetes/pkg/apis/*/validation).
/// Run it on the defaulted object (and, for an update, pass the old one: Events check what changed);
/// an empty list means valid.
/// </summary>
public static class BuiltinValidation
{
    public static IReadOnlyList<StatusCause> Validate(string group, string kind, JsonObject obj, JsonObject? old = null)
    {
        if (Events.EventApis.Of(group, kind) is { } eventApi) return Events.EventValidation.Validate(eventApi, obj, old);
        var errs = new List<StatusCause>();
        errs.AddRange(MetadataValidation.ObjectMeta(Json.Obj(obj, "metadata"), NameRule(group, kind)));
        if (group == "batch" && kind == "CronJob" && (Json.Str(Json.Obj(obj, "metadata"), "name") ?? "").Length > 52)
            errs.Add(FieldErrors.InvalidString("metadata.name", Json.Str(Json.Obj(obj, "metadata"), "name")!, "must be no more than 52 characters"));
        var spec = Json.Obj(obj, "spec") ?? [];
        switch (group, kind)
        {
            case ("apps", "Deployment"): errs.AddRange(WorkloadValidation.ReplicatedSpec(spec, "deployment", replicaSetRules: true)); break;
            case ("apps", "ReplicaSet"): errs.AddRange(WorkloadValidation.ReplicatedSpec(spec, "deployment", replicaSetRules: true)); break;
            case ("apps", "StatefulSet"): errs.AddRange(WorkloadValidation.ReplicatedSpec(spec, "statefulset", replicaSetRules: false)); break;
            case ("apps", "DaemonSet"): errs.AddRange(WorkloadValidation.ReplicatedSpec(spec, "daemonset", replicaSetRules: true)); break;
            case ("batch", "Job"): errs.AddRange(WorkloadValidation.Job(spec, "spec")); break;
            case ("batch", "CronJob"): errs.AddRange(WorkloadValidation.CronJob(spec)); break;
            case ("", "Pod"): errs.AddRange(PodValidation.PodSpec(spec, "spec", isPod: true)); break;
            case ("", "ConfigMap"): errs.AddRange(DataValidation.ConfigMap(obj)); break;
            case ("", "Secret"): errs.AddRange(DataValidation.Secret(obj)); break;
            case ("", "Service"): errs.AddRange(DataValidation.Service(spec)); break;
        }
        return errs;
    }

    /// <summary>The metadata.name rule of a kind: "subdomain", "label" (RFC 1123), "dns1035" or "path".</summary>
    internal static Func<string, bool, List<string>> NameRule(string group, string kind) => (group, kind) switch
    {
        ("", "Namespace") => (n, _) => NameRules.IsDns1123Label(n),
        ("", "Service") => (n, prefix) => NameRules.IsDns1035Label(prefix ? NameRules.MaskTrailingDash(n) : n),
        ("rbac.authorization.k8s.io", _) => (n, _) => NameRules.IsPathSegmentName(n),
        _ => (n, prefix) => NameRules.IsDns1123Subdomain(prefix ? NameRules.MaskTrailingDash(n) : n),
    };
}
