using System.Text.Json.Nodes;
using GitOps.Operator.Status;

namespace GitOps.Operator.Cli;

/// <summary>Polls an Application until a condition holds; a timeout is a one-line CliException with where it stands.</summary>
internal static class AppWaiter
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Waits until <paramref name="done"/> holds. <paramref name="failed"/> may return a message that ends
    /// the wait early (the operator reported a failure that waiting will not fix).
    /// </summary>
    public static async Task<JsonObject> WaitAsync(ApplicationClient client, string ns, string name, string what, TimeSpan timeout,
        Func<JsonObject, bool> done, Func<JsonObject, string?>? failed, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        JsonObject? last = null;
        try
        {
            while (true)
            {
                last = await client.GetAsync(ns, name, deadline.Token);
                if (done(last)) return last;
                if (failed?.Invoke(last) is { } message) throw new CliException($"{ns}/{name}: {message}");
                await Task.Delay(PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"timed out after {Format(timeout)} waiting for {ns}/{name} to be {what}; now {Describe(last)}");
        }
    }

    public static string Describe(JsonObject? app)
    {
        if (app is null) return "unknown";
        var status = ApplicationStatus.Of(app);
        var ready = status.Find(Reasons.Ready);
        var text = $"sync {status.Sync?.Status ?? "Unknown"}, health {status.Health?.Status ?? "Unknown"}";
        return ready is not null && ready.Status != Condition.True ? $"{text} ({ready.Reason}: {ready.Message})" : text;
    }

    /// <summary>A stage failure (source, render, sync) that the operator has reported, or null.</summary>
    public static string? StageFailure(JsonObject app) => ApplicationStatus.Of(app).StageFailure;

    public static string Format(TimeSpan t) => t.TotalMinutes >= 1 && t.Seconds == 0 ? $"{(int)t.TotalMinutes}m" : $"{t.TotalSeconds:0.#}s";
}
