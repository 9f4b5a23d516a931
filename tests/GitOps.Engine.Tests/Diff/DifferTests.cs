using System.Text.Json.Nodes;
using GitOps.Engine.Diff;

namespace GitOps.Engine.Tests.Diff;

/// <summary>
/// The comparison of a server-side apply dry-run (<c>predicted</c>) with the live object. The base
/// pair is a Deployment our manager applied; each case changes one thing on one side.
/// </summary>
public class DifferTests
{
    private const string LiveDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          uid: 6b1f0c3e-0000-4000-8000-000000000001
          resourceVersion: "100"
          generation: 3
          creationTimestamp: "2026-01-01T00:00:00Z"
          labels: {app: web, tier: front}
          annotations:
            deployment.kubernetes.io/revision: "3"
            gitops.dev/tracking-id: gitops-system/shop:apps/Deployment:shop/web
          managedFields:
          - manager: gitops-operator
            operation: Apply
            apiVersion: apps/v1
            fieldsType: FieldsV1
            fieldsV1:
              f:metadata:
                f:labels: {f:app: {}, f:tier: {}}
                f:annotations: {f:gitops.dev/tracking-id: {}}
              f:spec:
                f:replicas: {}
                f:selector: {}
                f:template:
                  f:metadata: {f:labels: {f:app: {}}}
                  f:spec:
                    f:containers:
                      'k:{"name":"web"}':
                        .: {}
                        f:name: {}
                        f:image: {}
                        f:ports:
                          'k:{"containerPort":8080,"protocol":"TCP"}': {.: {}, f:containerPort: {}}
          - manager: kube-controller-manager
            operation: Update
            apiVersion: apps/v1
            subresource: status
            fieldsType: FieldsV1
            fieldsV1:
              f:status: {f:replicas: {}, f:readyReplicas: {}}
        spec:
          replicas: 2
          revisionHistoryLimit: 10
          progressDeadlineSeconds: 600
          selector: {matchLabels: {app: web}}
          strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}
          template:
            metadata: {labels: {app: web}}
            spec:
              restartPolicy: Always
              dnsPolicy: ClusterFirst
              containers:
              - name: web
                image: nginx:1.27
                imagePullPolicy: IfNotPresent
                terminationMessagePath: /dev/termination-log
                ports:
                - {containerPort: 8080, protocol: TCP}
        status: {replicas: 2, readyReplicas: 2}
        """;

    private const string Webhook = """
        apiVersion: admissionregistration.k8s.io/v1
        kind: MutatingWebhookConfiguration
        metadata:
          name: shop-defaulter
          managedFields:
          - manager: gitops-operator
            operation: Apply
            fieldsV1:
              f:webhooks:
                'k:{"name":"default.shop.dev"}':
                  .: {}
                  f:name: {}
                  f:clientConfig: {f:service: {f:name: {}, f:namespace: {}}}
                  f:sideEffects: {}
        webhooks:
        - name: default.shop.dev
          sideEffects: None
          clientConfig:
            service: {name: shop-webhook, namespace: shop}
        """;

    private const string Secret = """
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: shop}
        type: Opaque
        """;

    private static JsonObject Live => TestJson.Obj(LiveDeployment);

    /// <summary>What the dry-run returns when nothing changed: the live object with our manager's entry.</summary>
    private static JsonObject Predicted => Live;

    private static readonly IgnoreDifference ReplicasPointer = new("apps", "Deployment", Name: "web", JsonPointers: ["/spec/replicas"]);
    private static readonly IgnoreDifference ControllerManager = new(null, "*", ManagedFieldsManagers: ["kube-controller-manager"]);

    /// <summary>Replicas taken over by an HPA: kube-controller-manager now owns spec.replicas in live; our forced dry-run takes it back.</summary>
    private static (JsonObject Predicted, JsonObject Live) HpaScaled()
    {
        var live = Live.With("/spec/replicas", 5)
            .Without("/metadata/managedFields/0/fieldsV1/f:spec/f:replicas");
        var hpaEntry = TestJson.Obj("apiVersion: v1\nkind: X\nmetadata: {name: x}\nmanager: kube-controller-manager\noperation: Update\nsubresource: scale\nfieldsV1: {f:spec: {f:replicas: {}}}");
        hpaEntry.Remove("apiVersion");
        hpaEntry.Remove("kind");
        hpaEntry.Remove("metadata");
        live = live.With("/metadata/managedFields/-", hpaEntry);
        return (Predicted, live);
    }

    private static (JsonObject, JsonObject) SidecarInjected()
    {
        var sidecar = TestJson.Yaml("name: istio-proxy\nimage: istio/proxyv2:1.24\nargs: [proxy, sidecar]");
        var live = Live.With("/spec/template/spec/containers/-", sidecar)
            .With("/metadata/managedFields/-", TestJson.Yaml("manager: istio-sidecar-injector\noperation: Update\nfieldsV1:\n  f:spec:\n    f:template:\n      f:spec:\n        f:containers:\n          'k:{\"name\":\"istio-proxy\"}': {.: {}, f:name: {}, f:image: {}, f:args: {}}"));
        return (Predicted, live);
    }

    private static (JsonObject, JsonObject) CaBundleInjected()
    {
        var predicted = TestJson.Obj(Webhook);
        var live = predicted.With("/webhooks/0/clientConfig/caBundle", "LS0tLS1CRUdJTi...")
            .With("/metadata/managedFields/-", TestJson.Yaml("manager: cert-manager-cainjector\noperation: Apply\nfieldsV1:\n  f:webhooks:\n    'k:{\"name\":\"default.shop.dev\"}': {f:clientConfig: {f:caBundle: {}}}"))
            .With("/metadata/resourceVersion", "7");
        return (predicted, live);
    }

    public static TheoryData<string, Func<(JsonObject Predicted, JsonObject Live)>, IgnoreDifference[]> NoFalseOutOfSync_TestData() => new()
    {
        { "identical", () => (Predicted, Live), [] },
        { "server defaults only in live, not owned by us", () => (Predicted.Without("/spec/template/spec/dnsPolicy").Without("/spec/revisionHistoryLimit"), Live), [] },
        { "HPA-owned replicas hidden by managedFieldsManagers", HpaScaled, [ControllerManager] },
        { "injected sidecar owned by another manager, not in predicted", SidecarInjected, [] },
        { "caBundle injected by cainjector", CaBundleInjected, [] },
        { "status changed", () => (Predicted, Live.With("/status/readyReplicas", 1).With("/status/conditions", new JsonArray())), [] },
        { "resourceVersion, generation and managedFields time bumped", () => (Predicted, Live.With("/metadata/resourceVersion", "250").With("/metadata/generation", 9).With("/metadata/managedFields/0/time", "2026-02-02T00:00:00Z")), [] },
        { "last-applied annotation only in live", () => (Predicted, Live.With("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration", "{\"big\":true}")), [] },
        { "Secret stringData vs data", () => (TestJson.Obj(Secret).With("/stringData", TestJson.Yaml("password: s3cret")), TestJson.Obj(Secret).With("/data", TestJson.Yaml("password: czNjcmV0"))), [] },
        { "ignoreDifferences JSON pointer", () => (Predicted, Live.With("/spec/replicas", 7)), [ReplicasPointer] },
        { "numbers compare by value", () => (Predicted.With("/spec/replicas", 2.0), Live), [] },
        { "no managedFields: whole-object compare of equal objects", () => (Predicted.Without("/metadata/managedFields"), Live.Without("/metadata/managedFields").With("/status/replicas", 0)), [] },
        { "label added by a person is not ours", () => (Predicted.With("/metadata/labels/team", "ops"), Live.With("/metadata/labels/team", "ops")), [] },
    };

    [Theory]
    [MemberData(nameof(NoFalseOutOfSync_TestData))]
    public void Compare_NoiseOnly_NotModified(string caseName, Func<(JsonObject Predicted, JsonObject Live)> pair, IgnoreDifference[] ignore)
    {
        var (predicted, live) = pair();

        var result = Differ.Compare(predicted, live, DiffOptions.Default with { IgnoreDifferences = ignore });

        Assert.True(!result.Modified, $"{caseName}: {result}");
        Assert.Empty(result.ChangedPaths);
    }

    public static TheoryData<string, Func<(JsonObject Predicted, JsonObject Live)>, IgnoreDifference[], string[]> RealDrift_TestData() => new()
    {
        {
            "image changed with kubectl edit (ownership moved to kubectl-edit)",
            () => (Predicted, Live.With("/spec/template/spec/containers/0/image", "nginx:hacked").Without("/metadata/managedFields/0/fieldsV1/f:spec/f:template/f:spec/f:containers/k:{\"name\":\"web\"}/f:image")),
            [], ["/spec/template/spec/containers/0/image"]
        },
        { "HPA replicas without an ignore rule", HpaScaled, [], ["/spec/replicas"] },
        {
            "label removed from Git that we owned",
            () => (Predicted.Without("/metadata/labels/tier").Without("/metadata/managedFields/0/fieldsV1/f:metadata/f:labels/f:tier"), Live),
            [], ["/metadata/labels/tier"]
        },
        { "new replicas in Git", () => (Predicted.With("/spec/replicas", 4), Live), [], ["/spec/replicas"] },
        {
            "Secret value changed",
            () => (TestJson.Obj(Secret).With("/stringData", TestJson.Yaml("password: n3w")), TestJson.Obj(Secret).With("/data", TestJson.Yaml("password: czNjcmV0"))),
            [], ["/data/password"]
        },
        { "ignore rule for another name does not apply", () => (Predicted, Live.With("/spec/replicas", 7)), [ReplicasPointer with { Name = "api" }], ["/spec/replicas"] },
        { "container port we own removed in live", () => (Predicted, Live.With("/spec/template/spec/containers/0/ports", new JsonArray())), [], ["/spec/template/spec/containers/0/ports/0"] },
    };

    [Theory]
    [MemberData(nameof(RealDrift_TestData))]
    public void Compare_RealDrift_Modified(string caseName, Func<(JsonObject Predicted, JsonObject Live)> pair, IgnoreDifference[] ignore, string[] expectedPaths)
    {
        var (predicted, live) = pair();

        var result = Differ.Compare(predicted, live, DiffOptions.Default with { IgnoreDifferences = ignore });

        Assert.True(result.Modified, $"{caseName}: {result}");
        Assert.True(expectedPaths.SequenceEqual(result.ChangedPaths), $"{caseName}: {result}");
    }

    [Fact]
    public void Compare_LiveMissing_ModifiedWithMissingReason()
    {
        var result = Differ.Compare(Predicted, null, DiffOptions.Default);

        Assert.True(result.Modified);
        Assert.True(result.IsMissing);
        Assert.Null(result.NormalizedLive);
        Assert.StartsWith("Missing", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_Inputs_NotChanged()
    {
        var predicted = Predicted.With("/spec/replicas", 4);
        var live = Live;
        var before = (predicted.ToJsonString(), live.ToJsonString());

        var result = Differ.Compare(predicted, live, DiffOptions.Default with { IgnoreDifferences = [ControllerManager, ReplicasPointer] });

        Assert.Equal(before, (predicted.ToJsonString(), live.ToJsonString()));
        Assert.NotNull(result.NormalizedLive!["status"] is null ? "" : null);
        Assert.Null(result.NormalizedPredicted!["metadata"]!["managedFields"]);
    }
}
