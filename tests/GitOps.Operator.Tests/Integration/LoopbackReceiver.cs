using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOps.Operator.Tests.Integration;

/// <summary>One request a <see cref="LoopbackReceiver"/> got, and the status it answered.</summary>
internal sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, int AnsweredWith)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
}

/// <summary>
/// An HTTP receiver on loopback (Kestrel, port 0) that records every request. Each path answers 200
/// unless told otherwise: a list of status codes to answer in turn (the last one repeats), or to hang
/// until the receiver is disposed.
/// </summary>
internal sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly ConcurrentDictionary<string, int[]> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _hanging = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    private LoopbackReceiver(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;
    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    public static async Task<LoopbackReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var receiver = new LoopbackReceiver(builder.Build());
        receiver._app.Run(receiver.HandleAsync);
        await receiver._app.StartAsync();
        receiver.Address = new Uri(receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    public Uri Url(string path) => new(Address, path);

    /// <summary>The status codes a path answers, in turn; the last one repeats.</summary>
    public void Answer(string path, params int[] codes) => _answers[path] = codes;

    /// <summary>The path never answers (until the receiver is disposed).</summary>
    public void Hang(string path) => _hanging[path] = true;

    public IReadOnlyList<ReceivedRequest> At(string path) => [.. _received.Where(r => r.Path == path)];

    private async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        if (_hanging.ContainsKey(path))
        {
            _received.Enqueue(new ReceivedRequest(http.Request.Method, path, headers, body, 0));
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, http.RequestAborted);
            try { await Task.Delay(Timeout.Infinite, linked.Token); }
            catch (OperationCanceledException) { }
            return;
        }
        var n = _counts.AddOrUpdate(path, 0, (_, c) => c + 1);
        var code = _answers.TryGetValue(path, out var codes) ? codes[Math.Min(n, codes.Length - 1)] : 200;
        _received.Enqueue(new ReceivedRequest(http.Request.Method, path, headers, body, code));
        http.Response.StatusCode = code;
        await http.Response.WriteAsync(code == 200 ? "{}" : "{\"message\":\"no\"}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stop.Dispose();
    }
}
