using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;
using GitOps.Operator.Controller;

namespace GitOps.Operator.Dashboard;

/// <summary>
/// Where the dashboard reads Applications: a watch-fed cache, never the API server per request. In the
/// operator it is the controller's informer; in `gitops dashboard` an informer of its own.
/// </summary>
public interface IApplicationSource
{
    bool HasSynced { get; }
    IReadOnlyList<JsonObject> List();
    JsonObject? Get(string ns, string name);

    /// <summary>Raised with (namespace, name) for every change the watch sees, status changes included.</summary>
    event Action<string, string>? Changed;
}

/// <summary>The operator's own Application cache (the controller's informer).</summary>
internal sealed class ControllerApplicationSource : IApplicationSource
{
    private readonly ApplicationController _controller;

    public ControllerApplicationSource(ApplicationController controller)
    {
        _controller = controller;
        _controller.Changed += (ns, name) => Changed?.Invoke(ns, name);
    }

    public bool HasSynced => _controller.HasSynced;
    public IReadOnlyList<JsonObject> List() => _controller.List();
    public JsonObject? Get(string ns, string name) => _controller.Get(ns, name);
    public event Action<string, string>? Changed;
}

/// <summary>An informer of its own on Applications (all namespaces, or one), for `gitops dashboard`.</summary>
public sealed class InformerApplicationSource : IApplicationSource, IAsyncDisposable
{
    private readonly ResourceInformer _informer;

    public InformerApplicationSource(IKubeApi api, string? ns)
    {
        _informer = new ResourceInformer(api, ApplicationController.ApplicationsResource, ns, null, InformerOptions.Default,
            e => Changed?.Invoke((string?)e.Object["metadata"]?["namespace"] ?? "", (string?)e.Object["metadata"]?["name"] ?? ""));
        _informer.Start();
    }

    public Task WaitForSyncAsync(CancellationToken ct) => _informer.WaitForSyncAsync(ct);
    public bool HasSynced => _informer.HasSynced;
    public IReadOnlyList<JsonObject> List() => _informer.List();
    public JsonObject? Get(string ns, string name) => _informer.Get(ns, name);
    public event Action<string, string>? Changed;

    public ValueTask DisposeAsync() => _informer.DisposeAsync();
}
