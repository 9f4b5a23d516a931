using System.Net;
using GitOps.Operator.Cluster;
using k8s;

namespace GitOps.Operator.Tests.Dashboard;

/// <summary>
/// Dashboard actions are written with the person's own token, so the API server authenticates,
/// authorises and audits them as that person (groups and uid included): the sandbox's audit of
/// writes names them, and a user without patch rights is refused by the API server itself, not
/// only by the SubjectAccessReview before.
/// </summary>
public sealed partial class DashboardHttpIntegrationTests
{
    private const string AppsPath = "/apis/gitops.dev/v1alpha1/namespaces";

    [Fact]
    public async Task Action_Alice_WrittenAsAliceWithHerGroupsAndUid()
    {
        var token = world.Sandbox.IssueToken("alice", ["devs"], "uid-of-alice");
        using var alice = world.Client(token);
        var before = world.Sandbox.Requests.Writes().Count;

        var response = await alice.PostAsync($"/ui/apps/{A}/web/refresh", Form(("_csrf", Csrf(await alice.GetStringAsync($"/ui/apps/{A}/web")))));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var write = Assert.Single(world.Sandbox.Requests.Writes().Skip(before), w => w is { Verb: "patch", Resource: "applications", Namespace: A, Name: "web", User: "alice" });
        Assert.Equal("alice", write.User);
        Assert.Contains("devs", write.Groups);
        Assert.Equal("uid-of-alice", write.Uid);
        Assert.Equal(200, write.Code);
    }

    [Fact]
    public async Task Action_DaveActsOnlyWhereHeMayPatch_403InAAndNothingChanges_RecordedAsDaveInB()
    {
        using var dave = world.Client(world.DaveToken);
        var csrf = Csrf(await dave.GetStringAsync("/"));
        var before = world.Sandbox.Requests.Writes().Count;

        var inA = await dave.PostAsync($"/ui/apps/{A}/broken/refresh", Form(("_csrf", csrf)));
        var inB = await dave.PostAsync($"/ui/apps/{B}/api/refresh", Form(("_csrf", csrf)));

        Assert.Equal(HttpStatusCode.Forbidden, inA.StatusCode);
        var broken = await world.Admin.GetAsync($"{AppsPath}/{A}/applications/broken", default);
        Assert.Null((string?)broken?["metadata"]?["annotations"]?["gitops.dev/refresh-requested-at"]);
        Assert.Equal(HttpStatusCode.Redirect, inB.StatusCode);
        var writes = world.Sandbox.Requests.Writes().Skip(before).Where(w => w is { Verb: "patch", Resource: "applications" }).ToList();
        Assert.DoesNotContain(writes, w => w.Namespace == A && w.Name == "broken");
        Assert.Equal("dave", Assert.Single(writes, w => w.Namespace == B && w.Name == "api").User);
        await world.WaitAppAsync(B, "api", a => a["metadata"]?["annotations"]?["gitops.dev/refresh-requested-at"] is not null, "dave's refresh arrived");
    }

    [Fact]
    public async Task PatchWithTheirToken_WithoutTheirRights_RefusedByTheApiServerItself()
    {
        // The operator's own client, as the dashboard uses it, with no SubjectAccessReview before.
        var api = KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(world.OperatorKubeconfig));
        const string patch = "{\"metadata\":{\"labels\":{\"touched-by\":\"token-test\"}}}";

        var dave = await Assert.ThrowsAsync<KubeApiException>(() =>
            api.SendWithTokenAsync(world.DaveToken, HttpMethod.Patch, $"{AppsPath}/{A}/applications/broken", patch, "application/merge-patch+json", default));
        var alice = await api.SendWithTokenAsync(world.AliceToken, HttpMethod.Patch, $"{AppsPath}/{A}/applications/broken", patch, "application/merge-patch+json", default);

        Assert.Equal(403, dave.Code);
        Assert.Contains("User \"dave\" cannot patch", dave.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(world.DaveToken, dave.Message, StringComparison.Ordinal);
        Assert.Equal("token-test", (string?)alice["metadata"]?["labels"]?["touched-by"]);
    }
}
