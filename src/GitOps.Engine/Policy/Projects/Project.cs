using System.Text.Json.Nodes;
using GitOps.Engine.Model;
using GitOps.Engine.Policy.Guardrails;

namespace GitOps.Engine.Policy.Projects;

/// <summary>
/// The bounds a <c>Project</c> (gitops.dev/v1alpha1) sets on its Applications, with Argo CD's
/// AppProject field names: source repositories and destination namespaces (patterns), cluster-scoped
/// kinds allowed (none unless listed), namespaced kinds denied or allowed, the service account its
/// Applications must act as, sync windows, and guardrails.
/// </summary>
public sealed record Project(
    string Name,
    IReadOnlyList<string> SourceRepos,
    IReadOnlyList<string> DestinationNamespaces,
    IReadOnlyList<KindPattern> ClusterResourceWhitelist,
    IReadOnlyList<KindPattern> ClusterResourceBlacklist,
    IReadOnlyList<KindPattern>? NamespaceResourceWhitelist,
    IReadOnlyList<KindPattern> NamespaceResourceBlacklist,
    string? ServiceAccountName,
    IReadOnlyList<SyncWindow> SyncWindows,
    GuardrailSettings Guardrails)
{
    public const string DefaultName = "default";

    /// <summary>
    /// The registered clusters (patterns of destinations[].name) its Applications may deploy to. The
    /// operator's own cluster and clusters reached with the Application's own kubeconfig Secret need no entry.
    /// </summary>
    public IReadOnlyList<string> DestinationClusters { get; init; } = [];

    /// <summary>The project of an Application that names none, while no Project "default" exists: today's behaviour, bounded by nothing.</summary>
    public static Project Unbounded { get; } = new(DefaultName, ["*"], ["*"], [KindPattern.Any], [], null, [], null, [], GuardrailSettings.Default) { DestinationClusters = ["*"] };

    public override string ToString() => $"Project {Name}";

    /// <summary>Reads a Project object; throws <see cref="FormatException"/> naming the field when it is unusable.</summary>
    public static Project Parse(JsonObject obj, Func<string, TimeZoneInfo?> findTimeZone)
    {
        var name = (string?)obj["metadata"]?["name"] ?? "";
        var spec = obj["spec"] as JsonObject ?? new JsonObject();
        return new Project(
            name,
            Strings(spec["sourceRepos"]),
            (spec["destinations"] as JsonArray ?? []).OfType<JsonObject>().Select(d => (string?)d["namespace"] ?? "*").ToList(),
            Kinds(spec["clusterResourceWhitelist"]),
            Kinds(spec["clusterResourceBlacklist"]),
            spec["namespaceResourceWhitelist"] is JsonArray ? Kinds(spec["namespaceResourceWhitelist"]) : null,
            Kinds(spec["namespaceResourceBlacklist"]),
            (string?)spec["serviceAccountName"] is { Length: > 0 } sa ? sa : null,
            (spec["syncWindows"] as JsonArray ?? []).OfType<JsonObject>().Select((w, i) => Window(w, i, findTimeZone)).ToList(),
            ParseGuardrails(spec["guardrails"] as JsonObject))
        {
            DestinationClusters = (spec["destinations"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(d => (string?)d["name"]).OfType<string>().Where(n => n.Length > 0 && n != InCluster).ToList(),
        };
    }

    /// <summary>The name Argo CD and this operator give the cluster the operator runs in.</summary>
    public const string InCluster = "in-cluster";

    private static List<string> Strings(JsonNode? node) => (node as JsonArray ?? []).Select(n => (string?)n).OfType<string>().ToList();

    private static List<KindPattern> Kinds(JsonNode? node) =>
        (node as JsonArray ?? []).OfType<JsonObject>().Select(k => new KindPattern((string?)k["group"] ?? "", (string?)k["kind"] ?? "*")).ToList();

    private static SyncWindow Window(JsonObject w, int index, Func<string, TimeZoneInfo?> findTimeZone)
    {
        var field = $"spec.syncWindows[{index}]";
        var kind = (string?)w["kind"] ?? "";
        if (kind is not ("allow" or "deny")) throw new FormatException($"{field}.kind must be allow or deny, not \"{kind}\"");
        var schedule = (string?)w["schedule"] ?? "";
        if (SyncWindow.ScheduleError(schedule) is { } error) throw new FormatException($"{field}.schedule \"{schedule}\": {error}");
        if (!Durations.TryParse((string?)w["duration"], out var duration) || duration <= TimeSpan.Zero)
            throw new FormatException($"{field}.duration must be a duration such as 1h or 30m");
        var zoneName = (string?)w["timeZone"] is { Length: > 0 } z ? z : "UTC";
        var zone = findTimeZone(zoneName) ?? throw new FormatException($"{field}.timeZone \"{zoneName}\" is not a known time zone");
        return new SyncWindow(kind, schedule, duration, Strings(w["applications"]), Strings(w["namespaces"]), (bool?)w["manualSync"] ?? false, zone);
    }

    private static GuardrailSettings ParseGuardrails(JsonObject? g)
    {
        if (g is null) return GuardrailSettings.Default;
        var rules = new Dictionary<string, PolicyAction>(GuardrailSettings.Default.Rules, StringComparer.Ordinal);
        foreach (var rule in (g["rules"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string?)rule["name"] ?? "";
            if (!GuardrailChecker.Names.Contains(name))
                throw new FormatException($"spec.guardrails.rules: unknown rule \"{name}\" (known: {string.Join(", ", GuardrailChecker.Names)})");
            var action = (string?)rule["action"] ?? "block";
            rules[name] = action switch
            {
                "block" => PolicyAction.Block,
                "warn" => PolicyAction.Warn,
                "off" => PolicyAction.Off,
                _ => throw new FormatException($"spec.guardrails.rules: rule \"{name}\" action must be block, warn or off, not \"{action}\""),
            };
        }
        var labels = Strings(g["requiredLabels"]);
        if (labels.Count > 0 && !rules.ContainsKey(RequiredLabelsRule.RuleName)) rules[RequiredLabelsRule.RuleName] = PolicyAction.Block;
        return new GuardrailSettings(rules, labels);
    }
}
