using System.Text.Json.Nodes;
using GitOps.Operator.Hosting;
using GitOps.Operator.Notifications;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// Only the leader writes a Notification's status: a standby sees the Notification and leaves it alone,
/// and accepts it once it leads (the Notification has not changed since, so no watch event would tell it).
/// </summary>
[Trait("Category", "Integration")]
public sealed class NotificationStandbyTests
{
    [Fact]
    public async Task Standby_LeavesTheStatusToTheLeader_AcceptsOnceItLeads()
    {
        var fx = new OperatorFixture { StartOperator = false };
        await fx.InitializeAsync();
        Microsoft.AspNetCore.Builder.WebApplication? standby = null;
        try
        {
            await fx.KubectlOkAsync("apply", "-f", Path.Combine(ToolPaths.RepoRoot, "crds", "notification.yaml"));
            await fx.KubectlOkAsync("wait", "--for=condition=Established", "crd/notifications.gitops.dev", "--timeout=30s");
            var leaseNs = await fx.NewNamespaceAsync("lease");
            var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            await fx.ApplyYamlAsync($"""
                apiVersion: coordination.k8s.io/v1
                kind: Lease
                metadata: {"{"} name: gitops-operator, namespace: {leaseNs} {"}"}
                spec: {"{"} holderIdentity: op-elsewhere, leaseDurationSeconds: 3600, acquireTime: "{now}", renewTime: "{now}" {"}"}
                """);
            var logs = new StringWriter();
            (standby, _) = await fx.StartOperatorAsync(OperatorOptions.Default with
            {
                LeaderElection = true, LeaseNamespace = leaseNs, Identity = "op-b", RetryPeriod = TimeSpan.FromMilliseconds(200),
                LogCopy = TextWriter.Synchronized(logs), Notifications = NotificationFixture.TestOptions,
            });
            var ns = await fx.NewNamespaceAsync("nsb");
            await fx.ApplyYamlAsync($$"""
                apiVersion: gitops.dev/v1alpha1
                kind: Notification
                metadata: { name: notify, namespace: {{ns}} }
                spec:
                  target: { type: teams, url: "http://127.0.0.1:9/teams" }
                """);
            var path = $"/apis/gitops.dev/v1alpha1/namespaces/{ns}/notifications/notify";

            await Eventually.WaitAsync(() => Task.FromResult(logs.ToString().Split('\n').Any(line =>
                    line.Contains("this replica does not lead", StringComparison.Ordinal) && line.Contains($"{ns}/notify", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(30), "the standby sees the Notification");
            Assert.Null((await fx.GetAsync(path))!["status"]);

            await fx.KubectlOkAsync("patch", "lease", "gitops-operator", "-n", leaseNs, "--type=merge", "-p", """{"spec":{"holderIdentity":""}}""");
            await Eventually.WaitAsync(async () => ((await fx.GetAsync(path))!["status"]?["conditions"] as JsonArray)?
                    .Any(c => (string?)c!["reason"] == NotificationStatusWriter.Accepted) == true,
                TimeSpan.FromSeconds(30), "accepted by the new leader");
        }
        finally
        {
            if (standby is not null)
            {
                await standby.StopAsync();
                await standby.DisposeAsync();
            }
            await fx.DisposeAsync();
        }
    }
}
