using System.Text.Json.Nodes;
using GitOps.Sandbox.Api;
using GitOps.Sandbox.Auth;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Controllers;

/// <summary>
/// kube-controller-manager's clusterrole-aggregation controller: on any ClusterRole change, every
/// ClusterRole with an aggregationRule gets the rules of the ClusterRoles its selectors match
/// (by name order, each distinct rule once, itself excluded), written by server-side apply as
/// clusterrole-aggregation-controller with force, whenever they differ from its current rules.
/// </summary>
internal sealed class ClusterRoleAggregationController(ControllerContext context) : IController
{
    public const string Manager = "clusterrole-aggregation-controller";

    public void OnEvent(StoreEvent e)
    {
        if (e.Key.Resource != RbacRuleResolver.ClusterRoles) return;
        var all = context.Store.Transact(tx => tx.Scan(RbacRuleResolver.ClusterRoles, null).ToList());
        foreach (var role in all.Where(r => r["aggregationRule"] is JsonObject))
        {
            var name = ObjectMeta.Name(role);
            var rules = Aggregate(role, all);
            var current = PolicyRule.RulesOf(role);
            if (rules.Count == current.Count && rules.Zip(current).All(p => p.First.SameAs(p.Second))) continue;
            var applied = new JsonObject
            {
                ["apiVersion"] = $"{RbacRuleResolver.Group}/v1",
                ["kind"] = "ClusterRole",
                ["metadata"] = new JsonObject { ["name"] = name },
            };
            if (rules.Count > 0) applied["rules"] = new JsonArray([.. rules.Select(r => (JsonNode)r.ToJson())]);
            var type = context.Type(RbacRuleResolver.Group, "clusterroles");
            // Only a role still there is aggregated: the apply must not bring back a deleted one.
            ControllerContext.Try(() => context.Store.Transact(tx => tx.Peek(e.Key with { Name = name }) is null ? 0
                : context.Writer.Patch(type, null, name, "application/apply-patch+yaml", applied.ToJsonString(),
                    new WriteOptions(WriteOperation.Apply, Manager, null, false, Force: true)).Object.Count));
        }
    }

    private static List<PolicyRule> Aggregate(JsonObject role, List<JsonObject> all)
    {
        var rules = new List<PolicyRule>();
        var name = ObjectMeta.Name(role);
        foreach (var selector in role["aggregationRule"]!["clusterRoleSelectors"] as JsonArray ?? [])
        {
            if (selector is not JsonObject s) continue;
            foreach (var other in all.Where(o => ObjectMeta.Name(o) != name && Matches(s, LabelSelector.Labels(o))).OrderBy(ObjectMeta.Name, StringComparer.Ordinal))
                foreach (var rule in PolicyRule.RulesOf(other))
                    if (!rules.Any(r => r.SameAs(rule))) rules.Add(rule);
        }
        return rules;
    }

    /// <summary>metav1.LabelSelectorAsSelector: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist) all hold.</summary>
    private static bool Matches(JsonObject selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector["matchLabels"] is JsonObject matchLabels)
            foreach (var (k, v) in matchLabels)
                if (!labels.TryGetValue(k, out var actual) || actual != v?.GetValue<string>()) return false;
        foreach (var expression in selector["matchExpressions"] as JsonArray ?? [])
        {
            var key = expression?["key"]?.GetValue<string>() ?? "";
            var values = (expression?["values"] as JsonArray ?? []).Select(v => v?.GetValue<string>()).ToList();
            var has = labels.TryGetValue(key, out var value);
            var ok = expression?["operator"]?.GetValue<string>() switch
            {
                "In" => has && values.Contains(value),
                "NotIn" => !has || !values.Contains(value),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }
}
