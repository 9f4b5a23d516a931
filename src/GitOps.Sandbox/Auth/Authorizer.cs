namespace GitOps.Sandbox.Auth;

/// <summary>An authorizer's answer: allowed or not (RBAC never denies outright), and why.</summary>
internal readonly record struct Decision(bool Allowed, string Reason);

/// <summary>The rules a user holds in a namespace, as SelfSubjectRulesReview reports them.</summary>
internal sealed record RuleSet(IReadOnlyList<PolicyRule> ResourceRules, IReadOnlyList<PolicyRule> NonResourceRules, bool Incomplete, string EvaluationError);

/// <summary>
/// The authorizer chain of kube-apiserver for the sandbox's mode. AlwaysAllow allows everything.
/// Rbac is the union of the system:masters authorizer (allows any member, no reason) and the RBAC
/// authorizer (allowed "by" the first binding whose rule matches; otherwise no opinion, with the
/// resolution errors as the reason).
/// </summary>
internal sealed class Authorizer(AuthorizationMode mode, RbacRuleResolver rules)
{
    public AuthorizationMode Mode => mode;

    public Decision Authorize(RequestAttributes a)
    {
        if (mode == AuthorizationMode.AlwaysAllow) return new Decision(true, "");
        if (a.User.InGroup(UserInfo.SystemMasters)) return new Decision(true, "");
        var errors = new List<string>();
        foreach (var visit in rules.VisitRulesFor(a.User, a.Namespace))
        {
            if (visit.Rule is { } rule && rule.Allows(a)) return new Decision(true, $"RBAC: allowed by {visit.Source}");
            if (visit.Error is { } error) errors.Add(error.Message);
        }
        return new Decision(false, errors.Count == 0 ? "" : "RBAC: " + Aggregate(errors));
    }

    /// <summary>The rule resolvers' union: AlwaysAllow's everything, or what RBAC's bindings grant.</summary>
    public RuleSet RulesFor(UserInfo user, string ns)
    {
        if (mode == AuthorizationMode.AlwaysAllow)
            return new RuleSet([PolicyRule.Resource([PolicyRule.All], [PolicyRule.All], [PolicyRule.All])], [PolicyRule.NonResource([PolicyRule.All], [PolicyRule.All])], false, "");
        var (all, errors) = rules.RulesFor(user, ns);
        return new RuleSet([.. all.Where(r => r.Resources.Count > 0)], [.. all.Where(r => r.NonResourceUrls.Count > 0)], false, Aggregate(errors));
    }

    /// <summary>utilerrors.NewAggregate(...).Error(): one message as is, several deduplicated in brackets.</summary>
    public static string Aggregate(IReadOnlyList<string> messages)
    {
        var distinct = messages.Distinct(StringComparer.Ordinal).ToList();
        return messages.Count switch
        {
            0 => "",
            1 => messages[0],
            _ => distinct.Count == 1 ? distinct[0] : "[" + string.Join(", ", distinct) + "]",
        };
    }
}
