using System.Threading.Channels;
using GitOps.Operator.Cluster;
using GitOps.Operator.Metrics;
using GitOps.Operator.Status;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOps.Operator.Notifications;

/// <summary>
/// Sends what reconciles found to the Notifications that ask for it. A reconcile only calls
/// <see cref="Notify"/>, which decides the events (pure) and puts them in a bounded queue without
/// waiting: a receiver that is down or hangs never slows a reconcile. Workers match each event to the
/// Notifications of the Application's namespace, drop repeats (<see cref="DeliveryDedup"/>), wait for
/// the target's rate limit, read the Secret, send, and try again with exponential backoff on a 5xx,
/// 429, timeout or connection error (a retry waits outside the workers). Every outcome is counted in
/// gitops_notifications_total{type,result} and shown in the Notification's status.
/// </summary>
public sealed class NotificationDispatcher : BackgroundService
{
    private readonly Channel<NotificationWork> _queue;
    private readonly NotificationOptions _options;
    private readonly NotificationSender _sender;
    private readonly NotificationSecrets _secrets;
    private readonly NotificationStatusWriter _status;
    private readonly OperatorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<NotificationDispatcher> _log;
    private readonly NotificationStore _store;
    private readonly DeliveryDedup _dedup;
    private readonly TargetRateLimiter _limiter;
    private CancellationToken _stopping;

    private readonly Leadership? _leadership;

    /// <param name="leadership">Who leads: only the leader writes a Notification's status (null: this process always does).</param>
    public NotificationDispatcher(IKubeApi api, NotificationOptions options, NotificationSender sender, NotificationSecrets secrets,
        NotificationStatusWriter status, OperatorMetrics metrics, TimeProvider time, ILogger<NotificationDispatcher> log, Leadership? leadership = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_options, _sender, _secrets, _status, _metrics, _time, _log) = (options, sender, secrets, status, metrics, time, log);
        _queue = Channel.CreateBounded<NotificationWork>(new BoundedChannelOptions(options.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });
        _store = new NotificationStore(api, options.WatchNamespace, options, time, n => _ = AcceptAsync(n));
        _dedup = new DeliveryDedup(options.DedupWindow, time);
        _limiter = new TargetRateLimiter(options.RatePerMinute, options.Burst, time);
        _leadership = leadership;
        // A new leader accepts what the Notifications' watch showed it while it stood by.
        if (leadership is not null) leadership.Started += () => _ = AcceptAllAsync();
    }

    /// <summary>
    /// Called by the reconciler after it wrote the status: the events of this reconcile go into the
    /// queue, or are dropped (and counted) when it is full. Never waits, never throws for a receiver.
    /// </summary>
    public void Notify(ReconcileReport report, ApplicationStatus written)
    {
        ArgumentNullException.ThrowIfNull(report);
        var events = NotificationEventDetector.Detect(report.Previous, written, ReconcileFacts.Of(report));
        if (events.Count == 0) return;
        var labels = Labels(report.App.Object);
        foreach (var e in events)
        {
            if (_queue.Writer.TryWrite(new EventWork(e, labels))) continue;
            Count("any", "dropped");
            _log.LogWarning("notification queue full ({Capacity}): {Event} dropped", _options.QueueCapacity, e.ToString());
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        _store.Start();
        return Task.WhenAll(Enumerable.Range(0, Math.Max(1, _options.Workers)).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _store.DisposeAsync();
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var work in _queue.Reader.ReadAllAsync(ct))
            {
                try
                {
                    await (work switch
                    {
                        EventWork e => MatchAsync(e, ct),
                        DeliveryWork d => DeliverAsync(d, ct),
                        _ => Task.CompletedTask,
                    });
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    _log.LogError("notification work failed: {Error}", e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task MatchAsync(EventWork work, CancellationToken ct)
    {
        var e = work.Event;
        foreach (var n in await _store.MatchingAsync(e.AppNamespace, e.AppName, work.Labels, ct))
        {
            if (n.Spec is not { Suspend: false } spec || !spec.Wants(e.Kind)) continue;
            if (spec.Target.IsCommitStatus && CommitStatusMessage.State(e) is null) continue;
            if (!_dedup.FirstTime(DeliveryDedup.Key(n.Key, e)))
            {
                Count(spec.Target.Type, "deduplicated");
                continue;
            }
            await DeliverAsync(new DeliveryWork(n, e, 1), ct);
        }
    }

    private async Task DeliverAsync(DeliveryWork work, CancellationToken ct)
    {
        var (n, e) = (work.Notification, work.Event);
        var target = n.Spec!.Target;
        var wait = _limiter.Reserve(n.Key);
        if (wait > TimeSpan.Zero)
        {
            Later(work, wait);
            return;
        }
        NotificationRequest? request;
        try
        {
            var secret = target.SecretRef is { } secretRef ? await _secrets.ReadAsync(n.Namespace, secretRef, ct) : null;
            request = NotificationRequests.Build(target, e, secret);
        }
        catch (Exception x) when (x is NotificationSecretException or FormatException)
        {
            await FinishAsync(work, new DeliveryRecord(e, NotificationStatusWriter.SecretError, 0, x.Message), ct);
            return;
        }
        if (request is null) return;
        var result = await _sender.SendAsync(request, ct);
        if (result.Outcome == DeliveryOutcome.Retry && work.Attempt < _options.MaxAttempts)
        {
            Count(target.Type, "retried");
            var delay = _options.RetryDelay(work.Attempt + 1);
            _log.LogInformation("notification {Notification}: {Event}: the {Type} target {Result}; try {Attempt} in {Delay}",
                n.Key, e.ToString(), target.Type, result.Message, work.Attempt + 1, delay);
            Later(work with { Attempt = work.Attempt + 1 }, delay);
            return;
        }
        var outcome = result.Outcome == DeliveryOutcome.Delivered ? NotificationStatusWriter.Delivered : NotificationStatusWriter.DeliveryFailed;
        var tries = work.Attempt > 1 ? $" (try {work.Attempt})" : "";
        await FinishAsync(work, new DeliveryRecord(e, outcome, result.Code, $"the {target.Type} target {result.Message}{tries}"), ct);
    }

    private async Task FinishAsync(DeliveryWork work, DeliveryRecord record, CancellationToken ct)
    {
        var (n, type) = (work.Notification, work.Notification.Spec!.Target.Type);
        var delivered = record.Result == NotificationStatusWriter.Delivered;
        Count(type, delivered ? "delivered" : "failed");
        // A failed delivery is not "sent": once the Secret or the target is fixed, the same event goes out when it happens again.
        if (!delivered) _dedup.Release(DeliveryDedup.Key(n.Key, record.Event));
        if (delivered) _log.LogInformation("notification {Notification}: {Event}: {Message}", n.Key, record.Event.ToString(), record.Message);
        else _log.LogWarning("notification {Notification}: {Event} not delivered: {Message}", n.Key, record.Event.ToString(), record.Message);
        try
        {
            await _status.DeliveredAsync(n, record, ct);
        }
        catch (KubeApiException e)
        {
            _log.LogWarning("notification {Notification}: status not written: {Error}", n.Key, e.Message);
        }
    }

    /// <summary>Puts a delivery back in the queue after a while, without holding a worker.</summary>
    private void Later(DeliveryWork work, TimeSpan delay) => _ = Task.Run(async () =>
    {
        try
        {
            await Task.Delay(delay, _time, _stopping);
            await _queue.Writer.WriteAsync(work, _stopping);
        }
        catch (OperationCanceledException)
        {
        }
    });

    private async Task AcceptAllAsync()
    {
        foreach (var n in _store.Known()) await AcceptAsync(n);
    }

    private async Task AcceptAsync(NotificationObject n)
    {
        if (_leadership is { IsLeading: false })
        {
            _log.LogInformation("notification {Notification}: this replica does not lead; the leader writes its status", n.Key);
            return;
        }
        try
        {
            await _status.AcceptAsync(n, _stopping);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or OperationCanceledException)
        {
            _log.LogWarning("notification {Notification}: status not written: {Error}", n.Key, e.Message);
        }
    }

    private void Count(NotificationTargetType type, string result) => Count(type.ToString().ToLowerInvariant(), result);

    private void Count(string type, string result) => _metrics.NotificationsTotal.WithLabels(type, result).Inc();

    private static Dictionary<string, string> Labels(System.Text.Json.Nodes.JsonObject app)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in app["metadata"]?["labels"] as System.Text.Json.Nodes.JsonObject ?? []) labels[k] = (string?)v ?? "";
        return labels;
    }

    private abstract record NotificationWork;

    private sealed record EventWork(NotificationEvent Event, IReadOnlyDictionary<string, string> Labels) : NotificationWork;

    private sealed record DeliveryWork(NotificationObject Notification, NotificationEvent Event, int Attempt) : NotificationWork;
}
