using System.Text.Json.Nodes;
using GitOps.Operator.Status;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// Hooks run for each sync: a PreSync Job before anything is applied (a failure stops the sync with the Job's
/// message and runs the SyncFail hooks), PostSync after a sync that succeeded, each deleted by its policy and
/// never part of the inventory. The sandbox's Job controller completes a Job, or fails it when annotated.
/// </summary>
[Collection(OperatorCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HooksTests(OperatorFixture fx)
{
    private const string NoRetry = "    retry: {limit: 0}";

    private static string Job(string name, string hook, string extraAnnotations = "") => $$"""
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: {{name}}
          annotations:
            gitops.dev/hook: {{hook}}
            gitops.dev/hook-timeout: 60s
        {{extraAnnotations}}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers:
                - name: run
                  image: busybox:1.36
                  command: ["true"]
        """;

    private static string SyncFailMarker => """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          generateName: sync-failed-
          annotations:
            gitops.dev/hook: SyncFail
            gitops.dev/hook-delete-policy: HookFailed
        data:
          value: failed
        """;

    [Fact]
    public async Task PreSyncJob_FailsThenSucceedsOnTheNextCommit_SyncStoppedThenDone()
    {
        var ns = await fx.NewNamespaceAsync();
        var (url, repo) = await fx.NewRepoAsync("hooks-" + ns);
        using var _ = repo;
        repo.Write("app/config.yaml", AppYaml.ConfigMap("cfg", "one"))
            .Write("app/migrate.yaml", Job("migrate", "PreSync", "    sandbox.gitops.dev/fail: \"migration 42 failed\""))
            .Write("app/syncfail.yaml", SyncFailMarker);
        var first = await repo.CommitAndPushAsync("a migration that fails");
        await fx.ApplyYamlAsync(AppYaml.Automated(ns, "web", url, "app", ns, extraPolicy: NoRetry));

        var failed = await fx.WaitAppAsync(ns, "web", a => ApplicationStatus.Of(a).OperationState is { Phase: "Failed" } op && op.SyncRevision == first, "the sync failed on its PreSync hook");
        var status = ApplicationStatus.Of(failed);
        Assert.True(status.OperationState!.Message!.Contains("PreSync hook Job/migrate failed: BackoffLimitExceeded: Job has reached the specified backoff limit: migration 42 failed", StringComparison.Ordinal),
            status.OperationState.Message);
        Assert.Null(await fx.GetAsync($"/api/v1/namespaces/{ns}/configmaps/cfg"));
        var hooks = status.OperationState.Hooks!;
        Assert.True(hooks.Any(h => h is { Kind: "PreSync", Object: "Job/migrate", Phase: "Failed" }) && hooks.Any(h => h is { Kind: "SyncFail", Phase: "Succeeded" }), string.Join("; ", hooks));
        var markers = (await fx.GetAsync($"/api/v1/namespaces/{ns}/configmaps?labelSelector=gitops.dev/hook-id"))?["items"] as JsonArray ?? [];
        Assert.Contains(markers, m => ((string?)m?["metadata"]?["name"])?.StartsWith("sync-failed-", StringComparison.Ordinal) == true);
        var oldJob = await fx.GetAsync($"/apis/batch/v1/namespaces/{ns}/jobs/migrate");
        Assert.NotNull(oldJob);

        // Its retries used up (limit 0), another look at the same commit does not run the hook again.
        await fx.ApplyYamlAsync(AppYaml.Automated(ns, "web", url, "app", ns, extraPolicy: NoRetry, metadataExtra: "  annotations: {gitops.dev/refresh-requested-at: again}"));
        await fx.WaitAppAsync(ns, "web", a => ApplicationStatus.Of(a).Find(Reasons.SyncError)?.Reason == Reasons.RetriesExhausted, "automated sync held back");
        Assert.Equal((string?)oldJob!["metadata"]?["uid"], (string?)(await fx.GetAsync($"/apis/batch/v1/namespaces/{ns}/jobs/migrate"))?["metadata"]?["uid"]);

        repo.Write("app/migrate.yaml", Job("migrate", "PreSync", "    gitops.dev/hook-delete-policy: BeforeHookCreation"));
        var second = await repo.CommitAndPushAsync("the migration fixed");
        await fx.ApplyYamlAsync(AppYaml.Automated(ns, "web", url, "app", ns, extraPolicy: NoRetry, metadataExtra: "  annotations: {gitops.dev/refresh-requested-at: pushed}"));
        var synced = await fx.WaitAppAsync(ns, "web", a => OperatorFixture.IsSyncedAt(a, second) && ApplicationStatus.Of(a).OperationState is { Phase: "Succeeded" }, "synced after the fixed migration", TimeSpan.FromSeconds(60));
        Assert.Equal("one", (string?)(await fx.GetAsync($"/api/v1/namespaces/{ns}/configmaps/cfg"))?["data"]?["value"]);
        var newJob = await fx.GetAsync($"/apis/batch/v1/namespaces/{ns}/jobs/migrate");
        Assert.True(newJob is not null && (string?)newJob["metadata"]?["uid"] != (string?)oldJob["metadata"]?["uid"], "BeforeHookCreation: the Job of the failed run was deleted and a new one made");
        var ran = ApplicationStatus.Of(synced);
        Assert.True(ran.OperationState!.Hooks!.Any(h => h is { Kind: "PreSync", Object: "Job/migrate", Phase: "Succeeded" }), string.Join("; ", ran.OperationState.Hooks!));
        Assert.DoesNotContain(ran.Inventory, e => e.Contains("migrate", StringComparison.Ordinal) || e.Contains("sync-failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostSyncHook_AfterAHealthySync_RunsAndIsDeletedWhenItSucceeds()
    {
        var ns = await fx.NewNamespaceAsync();
        var (url, repo) = await fx.NewRepoAsync("hooks-post-" + ns);
        using var _ = repo;
        repo.Write("app/config.yaml", AppYaml.ConfigMap("cfg", "one"))
            .Write("app/smoke.yaml", Job("smoke", "PostSync", "    gitops.dev/hook-delete-policy: HookSucceeded"));
        var commit = await repo.CommitAndPushAsync("with a smoke test");
        await fx.ApplyYamlAsync(AppYaml.Automated(ns, "web", url, "app", ns, extraPolicy: NoRetry));

        var synced = await fx.WaitAppAsync(ns, "web", a => OperatorFixture.IsSyncedAt(a, commit) && ApplicationStatus.Of(a).OperationState is { Phase: "Succeeded", Hooks: not null }, "synced with its PostSync hook");
        Assert.Contains(ApplicationStatus.Of(synced).OperationState!.Hooks!, h => h is { Kind: "PostSync", Object: "Job/smoke", Phase: "Succeeded" });
        Assert.Null(await fx.GetAsync($"/apis/batch/v1/namespaces/{ns}/jobs/smoke"));
    }

    [Fact]
    public async Task Hook_StuckPastItsTimeout_FailsTheSync()
    {
        var ns = await fx.NewNamespaceAsync();
        var (url, repo) = await fx.NewRepoAsync("hooks-stuck-" + ns);
        using var _ = repo;
        // A Pod hook never finishes in the sandbox (it runs no pods).
        repo.Write("app/config.yaml", AppYaml.ConfigMap("cfg", "one"))
            .Write("app/wait.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: wait
                  annotations:
                    gitops.dev/hook: PreSync
                    gitops.dev/hook-timeout: 2s
                spec:
                  containers:
                    - name: wait
                      image: busybox:1.36
                """);
        await repo.CommitAndPushAsync("a hook that never ends");
        await fx.ApplyYamlAsync(AppYaml.Automated(ns, "web", url, "app", ns, extraPolicy: NoRetry));

        var failed = await fx.WaitAppAsync(ns, "web", a => ApplicationStatus.Of(a).OperationState is { Phase: "Failed" }, "the sync failed on the stuck hook");
        Assert.Contains("PreSync hook Pod/wait failed: did not finish within 2s", ApplicationStatus.Of(failed).OperationState!.Message, StringComparison.Ordinal);
        Assert.Null(await fx.GetAsync($"/api/v1/namespaces/{ns}/configmaps/cfg"));
    }
}
