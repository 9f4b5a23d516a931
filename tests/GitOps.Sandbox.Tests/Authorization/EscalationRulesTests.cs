using System.Text.Json.Nodes;
using GitOps.Sandbox.Auth;

namespace GitOps.Sandbox.Tests.Authorization;

/// <summary>The registry's escalation check: whether held rules cover granted ones, and how the missing ones are listed.</summary>
public sealed class EscalationRulesTests
{
    private static readonly UserInfo Alice = UserInfo.Authenticated("alice", ["devs"]);

    public static TheoryData<string, string, string, string?> Confirm_TestData() => new()
    {
        { "same rule", """[{"verbs":["get"],"apiGroups":[""],"resources":["pods"]}]""", """[{"verbs":["get"],"apiGroups":[""],"resources":["pods"]}]""", null },
        { "fewer verbs", """[{"verbs":["get","list"],"apiGroups":[""],"resources":["pods"]}]""", """[{"verbs":["list"],"apiGroups":[""],"resources":["pods"]}]""", null },
        { "stars cover everything", """[{"verbs":["*"],"apiGroups":["*"],"resources":["*"]}]""", """[{"verbs":["get","delete"],"apiGroups":["apps",""],"resources":["deployments/scale","secrets"],"resourceNames":["a"]}]""", null },
        { "*/scale covers a scale", """[{"verbs":["get"],"apiGroups":["apps"],"resources":["*/scale"]}]""", """[{"verbs":["get"],"apiGroups":["apps"],"resources":["deployments/scale"]}]""", null },
        { "unnamed covers named", """[{"verbs":["get"],"apiGroups":[""],"resources":["secrets"]}]""", """[{"verbs":["get"],"apiGroups":[""],"resources":["secrets"],"resourceNames":["a"]}]""", null },
        { "URL prefix covers", """[{"verbs":["get"],"nonResourceURLs":["/logs/*"]}]""", """[{"verbs":["get"],"nonResourceURLs":["/logs/app"]}]""", null },
        {
            "missing verbs compact into one rule", """[{"verbs":["get"],"apiGroups":[""],"resources":["pods"]}]""",
            """[{"verbs":["get","list","watch"],"apiGroups":[""],"resources":["pods"]}]""",
            "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"list\" \"watch\"]}"
        },
        {
            "named does not cover unnamed", """[{"verbs":["get"],"apiGroups":[""],"resources":["secrets"],"resourceNames":["a"]}]""",
            """[{"verbs":["get"],"apiGroups":[""],"resources":["secrets"]}]""",
            "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}"
        },
        {
            "missing rules sorted, names and URLs kept", "[]",
            """[{"verbs":["get"],"nonResourceURLs":["/metrics"]},{"verbs":["update"],"apiGroups":["apps"],"resources":["deployments"],"resourceNames":["web"]}]""",
            "{APIGroups:[\"apps\"], Resources:[\"deployments\"], ResourceNames:[\"web\"], Verbs:[\"update\"]}\n{NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}"
        },
        {
            "resource does not cover subresource", """[{"verbs":["*"],"apiGroups":["apps"],"resources":["deployments"]}]""",
            """[{"verbs":["patch"],"apiGroups":["apps"],"resources":["deployments","deployments/scale"]}]""",
            "{APIGroups:[\"apps\"], Resources:[\"deployments/scale\"], Verbs:[\"patch\"]}"
        },
    };

    [Theory]
    [MemberData(nameof(Confirm_TestData))]
    public void Confirm_HeldAndGrantedRules_ListsWhatIsNotHeld(string caseName, string held, string granted, string? missing)
    {
        _ = caseName;
        static List<PolicyRule> Rules(string json) => [.. JsonNode.Parse(json)!.AsArray().Select(PolicyRule.FromJson)];

        var message = Escalation.Confirm(Alice, Rules(held), [], Rules(granted));

        Assert.Equal(missing is null ? null : "user \"alice\" (groups=[\"devs\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n" + missing, message);
    }

    [Fact]
    public void Confirm_WithResolutionErrors_AppendsThem()
    {
        var message = Escalation.Confirm(Alice, [], ["roles.rbac.authorization.k8s.io \"gone\" not found"], [PolicyRule.Resource(["get"], [""], ["pods"])]);

        Assert.EndsWith("Verbs:[\"get\"]}; resolution errors: [roles.rbac.authorization.k8s.io \"gone\" not found]", message);
    }
}
