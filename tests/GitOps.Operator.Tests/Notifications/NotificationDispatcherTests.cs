using System.Diagnostics;
using System.Text.Json.Nodes;
using GitOps.Engine.Operation;
using GitOps.Operator.Applications;
using GitOps.Operator.Metrics;
using GitOps.Operator.Notifications;
using GitOps.Operator.Status;
using GitOps.Operator.Tests.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Operator.Tests.Notifications;

public class NotificationDispatcherTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static (NotificationDispatcher Dispatcher, OperatorMetrics Metrics) NewDispatcher(int capacity)
    {
        var options = NotificationOptions.Default with { QueueCapacity = capacity };
        var metrics = new OperatorMetrics();
        var api = new SecretOnlyApi(null);
        using var http = new HttpClient();
        return (new NotificationDispatcher(api, options, new NotificationSender(http, options), new NotificationSecrets(api),
            new NotificationStatusWriter(api, TimeProvider.System), metrics, TimeProvider.System, NullLogger<NotificationDispatcher>.Instance), metrics);
    }

    /// <summary>A reconcile that deployed a new revision which came up Degraded: two events.</summary>
    private static (ReconcileReport Report, ApplicationStatus Written) DeployedAndDegraded()
    {
        var app = new Application(new JsonObject { ["metadata"] = new JsonObject { ["namespace"] = "shop", ["name"] = "web" } }, new ApplicationSpec());
        var written = new ApplicationStatus
        {
            Sync = new SyncSummary(SyncSummary.Synced, "abc"),
            Health = new HealthSummary("Degraded", "0 of 2 replicas"),
            History = [new HistoryEntry(1, "abc", Now)],
        };
        return (new ReconcileReport(app, ApplicationStatus.Empty, Now), written);
    }

    [Fact]
    public void Notify_QueueFull_DroppedAndCountedWithoutWaiting()
    {
        // Not started: no worker takes anything out of the queue of one.
        var (dispatcher, metrics) = NewDispatcher(capacity: 1);
        var (report, written) = DeployedAndDegraded();
        var clock = Stopwatch.StartNew();

        dispatcher.Notify(report, written);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Notify took {clock.Elapsed}");
        Assert.Equal(1, metrics.NotificationsTotal.WithLabels("any", "dropped").Value);
        dispatcher.Dispose();
    }

    [Fact]
    public void Notify_NothingChanged_NothingQueued()
    {
        var (dispatcher, metrics) = NewDispatcher(capacity: 1);
        var (report, written) = DeployedAndDegraded();

        dispatcher.Notify(report with { Previous = written }, written);
        dispatcher.Notify(report, written);

        Assert.Equal(1, metrics.NotificationsTotal.WithLabels("any", "dropped").Value);
        dispatcher.Dispose();
    }
}
