using System.Collections.Concurrent;
using GitOps.Engine.Policy.Projects;
using GitOps.Operator.Cluster;

namespace GitOps.Operator.Projects;

/// <summary>
/// The Projects (gitops.dev/v1alpha1, cluster-scoped) from one informer. An Application names its
/// Project in spec.project (default "default"); while no Project "default" exists, "default" bounds
/// nothing (today's behaviour). A Project that does not exist, cannot be read, or whose CRD is not
/// installed (for any name but "default") is an error: the Application stays out of bounds until it
/// is fixed. A change to a Project re-queues every Application, so new bounds count at once.
/// </summary>
public sealed class ProjectStore : IAsyncDisposable
{
    public static ResourceInfo ProjectsResource { get; } = new("gitops.dev", "v1alpha1", "Project", "projects", false);

    private readonly ConcurrentDictionary<string, (string ResourceVersion, Project Project)> _parsed = new(StringComparer.Ordinal);
    private ResourceInformer? _started;

    private readonly Lazy<ResourceInformer> _informer;

    public ProjectStore(IKubeApi api, Action onChange)
    {
        _informer = new(() =>
        {
            // The first list's events change nothing: Applications are reconciled anyway.
            var informer = new ResourceInformer(api, ProjectsResource, null, null, InformerOptions.Default, _ =>
            {
                if (_started?.HasSynced == true) onChange();
            });
            _started = informer;
            informer.Start();
            return informer;
        });
    }

    /// <summary>The Project <paramref name="name"/> (empty: "default"); throws <see cref="ProjectException"/> when it cannot be used.</summary>
    public async Task<Project> GetAsync(string? name, CancellationToken ct)
    {
        name = string.IsNullOrEmpty(name) ? Project.DefaultName : name;
        var informer = _informer.Value;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(10));
            await informer.WaitForSyncAsync(deadline.Token);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // The Project CRD is not installed: no Project exists.
            if (name == Project.DefaultName) return Project.Unbounded;
            throw new ProjectException($"Project {name} does not exist (the Project CRD projects.gitops.dev is not installed)");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ProjectException($"Project {name} cannot be read yet: {informer.LastError ?? "the Project cache has not synced"}", transient: true);
        }
        // Every reconcile asks: an unchanged Project is known by its resourceVersion, without reading the object.
        if (informer.ResourceVersionOf(null, name) is { } current && _parsed.TryGetValue(name, out var known) && known.ResourceVersion == current) return known.Project;
        var obj = informer.Get(null, name);
        var project = From(name, obj);
        if (obj is not null) _parsed[name] = ((string?)obj["metadata"]?["resourceVersion"] ?? "", project);
        return project;
    }

    /// <summary>
    /// The Project named <paramref name="name"/> from its object, or from its absence: "default" bounds
    /// nothing while it does not exist; any other missing or invalid Project is a <see cref="ProjectException"/>.
    /// </summary>
    public static Project From(string name, System.Text.Json.Nodes.JsonObject? obj)
    {
        if (obj is null)
            return name == Project.DefaultName ? Project.Unbounded : throw new ProjectException($"Project {name} does not exist");
        try
        {
            return Project.Parse(obj, FindTimeZone);
        }
        catch (FormatException e)
        {
            throw new ProjectException($"Project {name} is invalid: {e.Message}");
        }
    }

    internal static TimeZoneInfo? FindTimeZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_informer.IsValueCreated) await _informer.Value.DisposeAsync();
    }
}

/// <summary>The Application's Project cannot be used; <see cref="Transient"/> when a retry may help (the API is not answering).</summary>
public sealed class ProjectException(string message, bool transient = false) : Exception(message)
{
    public bool Transient { get; } = transient;
}
