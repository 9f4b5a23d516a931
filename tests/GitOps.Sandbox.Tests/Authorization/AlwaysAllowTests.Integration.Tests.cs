using GitOps.Sandbox.Tests.Infrastructure;

namespace GitOps.Sandbox.Tests.Authorization;

/// <summary>
/// The default AlwaysAllow sandbox (plain HTTP, over which kubectl sends no token): every request
/// is allowed and acts as the admin of the default kubeconfig; impersonation is accepted.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AlwaysAllowTests(ApiTarget target)
{
    public static TheoryData<string, string[], string> Kubectl_TestData() => new()
    {
        { "can-i answers yes", ["auth", "can-i", "create", "deployments", "-n", "default"], "yes" },
        { "can-i answers yes for any URL", ["auth", "can-i", "get", "/metrics"], "yes" },
        { "can-i --list grants everything", ["auth", "can-i", "--list"], "*.* [] [] [*]\n[*] [] [*]" },
        { "whoami is the admin", ["auth", "whoami"], "Username sandbox-admin\nGroups [system:masters system:authenticated]" },
        { "whoami of an impersonated account", ["auth", "whoami", "--as", "system:serviceaccount:default:deployer"], "Username system:serviceaccount:default:deployer\nGroups [system:serviceaccounts system:serviceaccounts:default system:authenticated]" },
    };

    [Theory]
    [MemberData(nameof(Kubectl_TestData))]
    public async Task Kubectl_AgainstAlwaysAllow_IsAllowedEverything(string caseName, string[] args, string expected)
    {
        _ = caseName;
        if (target.IsRealCluster) return; // a real cluster authorises by its own mode

        var result = await Kubectl.RunAsync(target, args);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .Where(l => l is not ("ATTRIBUTE VALUE" or "Resources Non-Resource URLs Resource Names Verbs"));
        Assert.Equal(expected, string.Join('\n', lines));
    }
}
