using GitOps.Operator.Hosting;
using GitOps.Operator.Notifications;
using GitOps.Testing;
using Microsoft.AspNetCore.Builder;

namespace GitOps.Operator.Tests.Integration;

/// <summary>
/// The loop of <see cref="OperatorFixture"/> with the Notification CRD installed, an operator whose
/// notification retries and timeouts are short, and a loopback receiver for every target.
/// </summary>
public sealed class NotificationFixture : IAsyncLifetime
{
    /// <summary>Retries 100 ms apart and a 2 s request timeout, so a test of a 500 or a hang takes seconds.</summary>
    public static NotificationOptions TestOptions { get; } = NotificationOptions.Default with
    {
        RetryBase = TimeSpan.FromMilliseconds(100), RetryMax = TimeSpan.FromSeconds(1), RequestTimeout = TimeSpan.FromSeconds(2),
    };

    private WebApplication? _operator;

    public OperatorFixture Fx { get; } = new() { StartOperator = false };
    internal LoopbackReceiver Receiver { get; private set; } = null!;
    public Uri OperatorAddress { get; private set; } = null!;

    /// <summary>Every log line the operator wrote.</summary>
    public StringWriter Logs { get; } = new();

    public async Task InitializeAsync()
    {
        await Fx.InitializeAsync();
        await Fx.KubectlOkAsync("apply", "-f", Path.Combine(ToolPaths.RepoRoot, "crds", "notification.yaml"));
        await Fx.KubectlOkAsync("wait", "--for=condition=Established", "crd/notifications.gitops.dev", "--timeout=30s");
        Receiver = await LoopbackReceiver.StartAsync();
        (_operator, OperatorAddress) = await Fx.StartOperatorAsync(OperatorOptions.Default with
        {
            LeaderElection = false, LogCopy = TextWriter.Synchronized(Logs), Notifications = TestOptions,
        });
    }

    public async Task DisposeAsync()
    {
        await Receiver.DisposeAsync();
        if (_operator is not null)
        {
            await _operator.StopAsync();
            await _operator.DisposeAsync();
        }
        await Fx.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class NotificationCollection : ICollectionFixture<NotificationFixture>
{
    public const string Name = "notifications";
}
