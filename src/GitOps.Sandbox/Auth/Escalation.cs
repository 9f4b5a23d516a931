namespace GitOps.Sandbox.Auth;

/// <summary>
/// The escalation arithmetic of kube-apiserver's RBAC registry: whether the rules a user holds
/// cover the rules of a role they write or bind (validation.Covers over BreakdownRule), and the
/// message listing what is missing (CompactRules, CompactString, sorted).
/// </summary>
internal static class Escalation
{
    /// <summary>ConfirmNoEscalation: null when the owner's rules cover every servant rule, else the error message.</summary>
    public static string? Confirm(UserInfo user, IReadOnlyList<PolicyRule> ownerRules, IReadOnlyList<string> resolutionErrors, IEnumerable<PolicyRule> rules)
    {
        var missing = Uncovered(ownerRules, rules);
        if (missing.Count == 0) return null;
        var descriptions = Compact(missing).Select(r => r.CompactString()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var message = $"user {Admission.GoFormat.Quote(user.Name)} (groups={PolicyRule.GoStrings(user.Groups)}) is attempting to grant RBAC permissions not currently held:\n{string.Join("\n", descriptions)}";
        if (resolutionErrors.Count > 0) message += $"; resolution errors: [{Authorizer.Aggregate(resolutionErrors)}]";
        return message;
    }

    /// <summary>validation.Covers: the atomic servant rules no owner rule covers.</summary>
    public static List<PolicyRule> Uncovered(IReadOnlyList<PolicyRule> ownerRules, IEnumerable<PolicyRule> servantRules) =>
        [.. servantRules.SelectMany(Breakdown).Where(sub => !ownerRules.Any(owner => Covers(owner, sub)))];

    /// <summary>BreakdownRule: one rule per group, resource, verb and resource name; one per URL and verb.</summary>
    public static IEnumerable<PolicyRule> Breakdown(PolicyRule rule)
    {
        foreach (var group in rule.ApiGroups)
            foreach (var resource in rule.Resources)
                foreach (var verb in rule.Verbs)
                {
                    if (rule.ResourceNames.Count > 0)
                        foreach (var name in rule.ResourceNames) yield return PolicyRule.Resource([verb], [group], [resource], [name]);
                    else yield return PolicyRule.Resource([verb], [group], [resource]);
                }
        foreach (var url in rule.NonResourceUrls)
            foreach (var verb in rule.Verbs)
                yield return PolicyRule.NonResource([verb], [url]);
    }

    /// <summary>ruleCovers: the owner rule grants everything the (broken down) sub-rule does.</summary>
    private static bool Covers(PolicyRule owner, PolicyRule sub)
    {
        var verbs = owner.Verbs.Contains(PolicyRule.All) || HasAll(owner.Verbs, sub.Verbs);
        var groups = owner.ApiGroups.Contains(PolicyRule.All) || HasAll(owner.ApiGroups, sub.ApiGroups);
        var resources = ResourcesCover(owner.Resources, sub.Resources);
        var urls = sub.NonResourceUrls.All(path => owner.NonResourceUrls.Any(o => o == path || (o.EndsWith('*') && path.StartsWith(o.TrimEnd('*'), StringComparison.Ordinal))));
        var names = sub.ResourceNames.Count == 0 ? owner.ResourceNames.Count == 0 : owner.ResourceNames.Count == 0 || HasAll(owner.ResourceNames, sub.ResourceNames);
        return verbs && groups && resources && names && urls;
    }

    private static bool ResourcesCover(IReadOnlyList<string> owner, IReadOnlyList<string> covers)
    {
        if (owner.Contains(PolicyRule.All) || HasAll(owner, covers)) return true;
        foreach (var path in covers)
        {
            if (owner.Contains(path)) continue;
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || !owner.Contains("*/" + path[(slash + 1)..])) return false;
        }
        return true;
    }

    private static bool HasAll(IReadOnlyList<string> set, IReadOnlyList<string> contains) => contains.All(set.Contains);

    /// <summary>CompactRules: rules of one group and one resource (and at most one name) differing only in verbs become one.</summary>
    private static List<PolicyRule> Compact(List<PolicyRule> rules)
    {
        var compacted = new List<PolicyRule>();
        var simple = new Dictionary<(string, string, bool, string), PolicyRule>();
        var order = new List<(string, string, bool, string)>();
        foreach (var rule in rules)
        {
            if (rule.ResourceNames.Count > 1 || rule.NonResourceUrls.Count > 0 || rule.ApiGroups.Count != 1 || rule.Resources.Count != 1)
            {
                compacted.Add(rule);
                continue;
            }
            var key = (rule.ApiGroups[0], rule.Resources[0], rule.ResourceNames.Count > 0, rule.ResourceNames.Count > 0 ? rule.ResourceNames[0] : "");
            if (simple.TryGetValue(key, out var existing)) simple[key] = existing with { Verbs = [.. existing.Verbs, .. rule.Verbs] };
            else
            {
                simple[key] = rule;
                order.Add(key);
            }
        }
        compacted.AddRange(order.Select(k => simple[k]));
        return compacted;
    }
}
