using System.Text.Json.Nodes;
using GitOps.Engine.Health;
using GitOps.Engine.Model;
using GitOps.Engine.Plan;

namespace GitOps.Engine.Hooks;

/// <summary>When a hook runs in a sync.</summary>
public enum HookKind
{
    /// <summary>Before anything is applied; a failure stops the sync.</summary>
    PreSync,
    /// <summary>With the sync, after the objects are applied.</summary>
    Sync,
    /// <summary>After a sync that succeeded, once the applied objects are healthy.</summary>
    PostSync,
    /// <summary>When a sync (or one of its hooks) failed.</summary>
    SyncFail,
}

/// <summary>When a hook object is deleted.</summary>
[Flags]
public enum HookDeletePolicy
{
    None = 0,
    HookSucceeded = 1,
    HookFailed = 2,
    /// <summary>The object of the previous run is deleted before the new one is created (the default).</summary>
    BeforeHookCreation = 4,
}

/// <summary>An object from Git that is created for each sync rather than kept in sync: a database migration Job, a smoke test.</summary>
public sealed record Hook(Manifest Manifest, IReadOnlyList<HookKind> Kinds, HookDeletePolicy DeletePolicy, TimeSpan Timeout)
{
    public const string HookAnnotation = "gitops.dev/hook";
    public const string DeletePolicyAnnotation = "gitops.dev/hook-delete-policy";
    public const string TimeoutAnnotation = "gitops.dev/hook-timeout";
    public const string HelmHookAnnotation = "helm.sh/hook";
    public const string HelmDeletePolicyAnnotation = "helm.sh/hook-delete-policy";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Hooks of one kind run by sync wave, then name.</summary>
    public int Wave => Waves.Of(Manifest, out _);

    public override string ToString() => $"{string.Join(",", Kinds)} hook {Manifest.Kind}/{Manifest.Name}";
}

/// <summary>How a hook object stands: still running, or finished with success or failure.</summary>
public enum HookPhase
{
    Running,
    Succeeded,
    Failed,
}

/// <summary>The decisions about hooks: which objects are hooks, and whether a created hook has finished.</summary>
public static class Hooks
{
    /// <summary>
    /// Splits rendered objects into the ones kept in sync and the hooks. Helm's hook annotations count:
    /// pre-install/pre-upgrade are PreSync, post-install/post-upgrade PostSync; Helm hooks this operator
    /// does not run (test, pre/post-delete, pre/post-rollback) are left out. A hook annotation that
    /// cannot be read is an error for that object.
    /// </summary>
    public static (IReadOnlyList<Manifest> Objects, IReadOnlyList<Hook> Hooks, IReadOnlyDictionary<ResourceKey, string> Errors) Split(IReadOnlyList<Manifest> manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var objects = new List<Manifest>();
        var hooks = new List<Hook>();
        var errors = new Dictionary<ResourceKey, string>();
        foreach (var m in manifests)
        {
            var ours = m.Annotation(Hook.HookAnnotation);
            var helm = m.Annotation(Hook.HelmHookAnnotation);
            if (ours is null && helm is null)
            {
                if (m.HasGenerateName) errors[m.Key] = $"{m.Key}: only a hook ({Hook.HookAnnotation}) may have a generateName instead of a name";
                else objects.Add(m);
                continue;
            }
            var (kinds, problem) = ours is not null ? Kinds(ours) : HelmKinds(helm!);
            if (problem is not null)
            {
                errors[m.Key] = $"{m.Key}: {problem}";
                continue;
            }
            if (kinds.Count == 0) continue; // a Helm hook this operator does not run
            var (policy, policyProblem) = DeletePolicy(m.Annotation(Hook.DeletePolicyAnnotation) ?? m.Annotation(Hook.HelmDeletePolicyAnnotation));
            var (timeout, timeoutProblem) = Timeout(m.Annotation(Hook.TimeoutAnnotation));
            if ((policyProblem ?? timeoutProblem) is { } bad)
            {
                errors[m.Key] = $"{m.Key}: {bad}";
                continue;
            }
            hooks.Add(new Hook(m, kinds, policy, timeout));
        }
        return (objects, hooks, errors);
    }

    private static (IReadOnlyList<HookKind>, string?) Kinds(string text)
    {
        var kinds = new List<HookKind>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Enum.TryParse<HookKind>(part, ignoreCase: false, out var kind) || !Enum.IsDefined(kind))
                return ([], $"{Hook.HookAnnotation} \"{part}\" is not one of PreSync, Sync, PostSync, SyncFail");
            kinds.Add(kind);
        }
        return kinds.Count == 0 ? ([], $"{Hook.HookAnnotation} is empty") : (kinds.Distinct().ToList(), null);
    }

    private static (IReadOnlyList<HookKind>, string?) HelmKinds(string text)
    {
        var kinds = new List<HookKind>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            switch (part)
            {
                case "pre-install" or "pre-upgrade" or "crd-install":
                    kinds.Add(HookKind.PreSync);
                    break;
                case "post-install" or "post-upgrade":
                    kinds.Add(HookKind.PostSync);
                    break;
                case "test" or "test-success" or "test-failure" or "pre-delete" or "post-delete" or "pre-rollback" or "post-rollback":
                    break;
                default:
                    return ([], $"{Hook.HelmHookAnnotation} \"{part}\" is not a Helm hook");
            }
        }
        return (kinds.Distinct().ToList(), null);
    }

    private static (HookDeletePolicy, string?) DeletePolicy(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (HookDeletePolicy.BeforeHookCreation, null);
        var policy = HookDeletePolicy.None;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            policy |= part switch
            {
                "HookSucceeded" or "hook-succeeded" => HookDeletePolicy.HookSucceeded,
                "HookFailed" or "hook-failed" => HookDeletePolicy.HookFailed,
                "BeforeHookCreation" or "before-hook-creation" => HookDeletePolicy.BeforeHookCreation,
                _ => (HookDeletePolicy)(-1),
            };
            if ((int)policy < 0) return (HookDeletePolicy.None, $"{Hook.DeletePolicyAnnotation} \"{part}\" is not one of HookSucceeded, HookFailed, BeforeHookCreation");
        }
        return (policy, null);
    }

    private static (TimeSpan, string?) Timeout(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (Hook.DefaultTimeout, null);
        return Durations.TryParse(text.Trim(), out var t) && t > TimeSpan.Zero
            ? (t, null)
            : (TimeSpan.Zero, $"{Hook.TimeoutAnnotation} \"{text}\" is not a duration such as 90s or 5m");
    }

    /// <summary>
    /// Whether a created hook object has finished: a Job by its Complete/Failed conditions, a Pod by its
    /// phase, anything else by its health (Healthy or no opinion: done; Degraded: failed).
    /// </summary>
    public static (HookPhase Phase, string Message) Assess(JsonObject live, HealthRegistry health)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(health);
        var key = ResourceKey.Of(live);
        if (key.GroupKind == new GroupKind("batch", "Job"))
        {
            foreach (var c in Json.GetArray(live, "status", "conditions")?.OfType<JsonObject>() ?? [])
            {
                if (Json.GetString(c, "status") != "True") continue;
                var type = Json.GetString(c, "type");
                var why = string.Join(": ", new[] { Json.GetString(c, "reason"), Json.GetString(c, "message") }.Where(s => !string.IsNullOrEmpty(s)));
                if (type is "Failed" or "FailureTarget") return (HookPhase.Failed, why.Length > 0 ? why : "the Job failed");
                if (type is "Complete" or "SuccessCriteriaMet") return (HookPhase.Succeeded, why.Length > 0 ? why : "the Job completed");
            }
            return (HookPhase.Running, "the Job is running");
        }
        if (key.GroupKind == new GroupKind("", "Pod"))
        {
            var phase = Json.GetString(live, ["status", "phase"]);
            var message = Json.GetString(live, ["status", "message"]) ?? Json.GetString(live, ["status", "reason"]) ?? $"the Pod {phase?.ToLowerInvariant() ?? "is pending"}";
            return phase switch
            {
                "Succeeded" => (HookPhase.Succeeded, message),
                "Failed" => (HookPhase.Failed, message),
                _ => (HookPhase.Running, $"the Pod is {phase ?? "Pending"}"),
            };
        }
        var status = health.Assess(live);
        return status?.Code switch
        {
            null or HealthCode.Healthy => (HookPhase.Succeeded, status?.Message ?? "created"),
            HealthCode.Degraded => (HookPhase.Failed, status.Message),
            _ => (HookPhase.Running, status.Message),
        };
    }

    /// <summary>A label value that finds every object a hook made for an Application, whatever its generated name.</summary>
    public static string IdOf(AppIdentity app, Manifest hook)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(hook);
        var text = $"{app}:{hook.Group}/{hook.Kind}:{hook.Namespace}/{hook.Name}";
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];
    }
}
