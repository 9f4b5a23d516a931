using GitOps.Testing;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// A failed sync is retried by its retry policy as the sync it was, also without self-heal: an
/// object whose kind the cluster does not serve yet fails the first attempt, and once someone
/// installs the CRD a retry applies it, with no new commit; and removing the CRD again leaves the
/// operator ready (its watch of the kind stops instead of failing for ever).
/// </summary>
[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SyncRetryTests(OperatorFixture fx)
{
    [Fact]
    public async Task FailedSync_WithoutSelfHeal_RetriedUntilItSucceeds()
    {
        using var s = await Scenario.StartAsync(fx, "retry");
        var group = $"{s.Namespace}.example.com";
        var rev = await s.PushAsync("a gadget", ("app/gadget.yaml", $"apiVersion: {group}/v1\nkind: Gadget\nmetadata:\n  name: one\nspec:\n  size: 3\n"),
            ("app/cm.yaml", AppYaml.ConfigMap("settings", "v1")));

        await s.CreateAppAsync(selfHeal: false, extraPolicy: "    retry: { limit: 20, backoff: { duration: 1s, factor: 1, maxDuration: 1s } }");

        var app = await s.WaitAsync(a => (string?)a["status"]?["operationState"]?["phase"] == "Failed", "the first sync failed");
        Assert.Equal(rev, (string?)app["status"]?["operationState"]?["syncRevision"]);
        Assert.NotNull(await s.ConfigMapAsync("settings"));

        await fx.ApplyYamlAsync($$"""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: gadgets.{{group}}
            spec:
              group: {{group}}
              scope: Namespaced
              names: { plural: gadgets, singular: gadget, kind: Gadget }
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec: { type: object, x-kubernetes-preserve-unknown-fields: true }
            """);

        app = await s.WaitAsync(a => OperatorFixture.IsSyncedAt(a, rev) && (string?)a["status"]?["operationState"]?["phase"] == "Succeeded", "a retry applied the gadget", TimeSpan.FromSeconds(60));
        Assert.NotNull(await fx.GetAsync($"/apis/{group}/v1/namespaces/{s.Namespace}/gadgets/one"));

        // Deleting the CRD stops the operator's watch of Gadgets for good; that must not keep /readyz failing.
        await fx.KubectlOkAsync("delete", "crd", $"gadgets.{group}", "--wait=true", "--timeout=60s");
        using var http = new HttpClient();
        await Eventually.WaitAsync(async () => (await http.GetAsync(new Uri(fx.OperatorAddress, "/readyz"))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), "ready with the kind gone");
    }
}
