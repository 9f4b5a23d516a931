using GitOps.Engine.Model;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Render.Sops;
using GitOps.Operator.Source;

namespace GitOps.Operator.Render;

/// <summary>
/// Stage 2: render the source, parse every document, default namespaces (discovery says which
/// kinds are namespaced; a kind whose CRD is in the same render counts per that CRD), and mark each
/// object as ours (managed-by label, tracking-id annotation). Any failure is a RenderException:
/// nothing is applied or pruned after it. An object of an unknown kind, or outside the operator's
/// <see cref="ManagedScope"/>, is left out with an error of its own. SOPS-encrypted objects are
/// decrypted in memory with the keys of spec.decryption (read at every reconcile), never written anywhere.
/// </summary>
public sealed class DesiredStateBuilder(RendererSelector renderers, ApiDiscovery discovery, RenderLimits limits, ManagedScope scope, DesiredStateCache? cache = null,
    DecryptionKeyReader? decryption = null)
{
    /// <summary>The desired state in the operator's own cluster (its discovery, its managed scope).</summary>
    public Task<DesiredState> BuildAsync(Application app, SourceSnapshot snapshot, CancellationToken ct) =>
        BuildAsync(app, snapshot, discovery, scope, ct);

    /// <summary>The desired state for a destination cluster: which kinds are namespaced is its discovery's answer.</summary>
    public async Task<DesiredState> BuildAsync(Application app, SourceSnapshot snapshot, ApiDiscovery destinationDiscovery, ManagedScope destinationScope, CancellationToken ct)
    {
        var source = app.Spec.Source;
        var keys = app.Spec.Decryption is null ? null
            : decryption is not null ? await decryption.ReadAsync(app.Namespace, app.Spec.Decryption, ct)
            : throw new RenderException("spec.decryption is set but this operator has no decryption configured");
        var request = new RenderRequest(snapshot.Directory, source.Path, source, app.DestinationNamespace, limits) { ApplicationName = app.Name, Decryption = keys, Shape = snapshot.Shape };
        // The keys' digest is part of the key: a render decrypted with other keys is never handed out.
        var key = new DesiredStateCache.Key(Path.GetFullPath(snapshot.Directory), source.Path, RenderJson.ParametersHash(request), app.Namespace, app.Name, keys?.Digest ?? "")
        {
            // Which kinds are namespaced depends on the cluster: a render for one is not handed out for another.
            Cluster = $"{app.Spec.Destination.ClusterName}|{app.Spec.Destination.Cluster?.SecretRef?.Name}|{app.Spec.Destination.Cluster?.SecretRef?.Key}",
        };
        if (cache is not null && cache.TryGet(key, out var cachedRenderer, out var cached))
            return DesiredState.Of(cached, cachedRenderer, new Dictionary<ResourceKey, string>());
        var (name, renderer) = renderers.Select(request);
        DesiredState desired;
        try
        {
            desired = await BuildUncachedAsync(app, name, renderer, request, destinationDiscovery, destinationScope, ct);
        }
        catch (RenderException e) when (e.Renderer is null)
        {
            throw new RenderException(e.Message, e.File, e.Line) { Renderer = name };
        }
        // Only a clean result: an unknown kind may be served soon (a CRD being created), and scope errors should be seen again.
        if (cache is not null && desired.Errors.Count == 0) cache.Add(key, name, desired.Manifests);
        return DesiredState.Of(desired.Manifests, name, desired.Errors);
    }

    private static async Task<DesiredState> BuildUncachedAsync(Application app, string rendererName, IRenderer renderer, RenderRequest request,
        ApiDiscovery discovery, ManagedScope scope, CancellationToken ct)
    {
        var documents = await renderer.RenderAsync(request, ct);
        var manifests = new List<Manifest>();
        foreach (var doc in documents)
        {
            try
            {
                manifests.AddRange(SopsManifests.Decrypt(ManifestReader.Read(doc.Text, doc.SourceName), doc, request, ownFile: rendererName == "directory"));
            }
            catch (ManifestException e)
            {
                throw new RenderException(e.Reason, e.SourceName, e.Line > 0 ? e.Line : null);
            }
        }
        var duplicate = manifests.GroupBy(m => m.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new RenderException($"{duplicate.Key} is declared more than once");

        var scopes = new Dictionary<GroupKind, bool?>();
        foreach (var m in manifests.DistinctBy(m => (m.ApiVersion, m.Kind)))
            scopes[m.GroupKind] = (await discovery.FindAsync(m.ApiVersion, m.Kind, ct))?.Namespaced;
        var defaulted = NamespaceDefaulter.Apply(manifests, app.DestinationNamespace, gk => scopes.GetValueOrDefault(gk));
        var errors = new Dictionary<ResourceKey, string>();
        foreach (var issue in defaulted.Errors) errors[issue.Key] = issue.Message;
        foreach (var m in defaulted.Manifests)
            if (scopes.GetValueOrDefault(m.GroupKind) is { } namespaced && !scope.Allows(namespaced, m.Namespace))
                errors[m.Key] = scope.Refusal(m.Key.ToString(), namespaced, m.Namespace);
        return new DesiredState([.. defaulted.Manifests.Where(m => !errors.ContainsKey(m.Key)).Select(m => Decorate(app, m))], rendererName, errors);
    }

    private static Manifest Decorate(Application app, Manifest manifest) => manifest.With(obj =>
    {
        var meta = obj["metadata"]!.AsObject();
        var labels = meta["labels"] as System.Text.Json.Nodes.JsonObject ?? new System.Text.Json.Nodes.JsonObject();
        labels[Annotations.ManagedByLabel] = Annotations.ManagedByValue;
        meta["labels"] = labels;
        var annotations = meta["annotations"] as System.Text.Json.Nodes.JsonObject ?? new System.Text.Json.Nodes.JsonObject();
        annotations[Annotations.TrackingId] = app.Identity.TrackingId(manifest.Key);
        meta["annotations"] = annotations;
    });
}
