using GitOps.Engine.Model;
using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;
using GitOps.Operator.Render;
using GitOps.Operator.Source;

namespace GitOps.Operator.Controller;

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
    public async Task<IReadOnlyList<Manifest>> BuildAsync(ReconcileContext ctx, SourceSnapshot snapshot, CancellationToken ct)
    {
        var source = ctx.Spec.Source;
        var destination = ctx.Spec.Destination.Namespace.Length > 0 ? ctx.Spec.Destination.Namespace : ctx.Namespace;
        var keys = ctx.Spec.Decryption is null ? null
            : decryption is not null ? await decryption.ReadAsync(ctx.Namespace, ctx.Spec.Decryption, ct)
            : throw new RenderException("spec.decryption is set but this operator has no decryption configured");
        var request = new RenderRequest(snapshot.Directory, source.Path, source, destination, limits) { ApplicationName = ctx.Name, Decryption = keys };
        // The keys' digest is part of the key: a render decrypted with other keys is never handed out.
        var key = new DesiredStateCache.Key(Path.GetFullPath(snapshot.Directory), source.Path, RenderJson.ParametersHash(request), ctx.Namespace, ctx.Name, keys?.Digest ?? "");
        if (cache is not null && cache.TryGet(key, out var cachedRenderer, out var cached))
        {
            ctx.Renderer = cachedRenderer;
            return cached;
        }
        var errorsBefore = ctx.Errors.Count;
        var desired = await BuildUncachedAsync(ctx, request, destination, ct);
        // Only a clean result: an unknown kind may be served soon (a CRD being created), and scope errors should be seen again.
        if (cache is not null && ctx.Errors.Count == errorsBefore) cache.Add(key, ctx.Renderer!, desired);
        return desired;
    }

    private async Task<IReadOnlyList<Manifest>> BuildUncachedAsync(ReconcileContext ctx, RenderRequest request, string destination, CancellationToken ct)
    {
        var (name, renderer) = renderers.Select(request);
        ctx.Renderer = name;
        var documents = await renderer.RenderAsync(request, ct);

        var manifests = new List<Manifest>();
        foreach (var doc in documents)
        {
            try
            {
                manifests.AddRange(Sops.SopsManifests.Decrypt(ManifestReader.Read(doc.Text, doc.SourceName), doc, request, ownFile: name == "directory"));
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
        var defaulted = NamespaceDefaulter.Apply(manifests, destination, gk => scopes.GetValueOrDefault(gk));
        foreach (var issue in defaulted.Errors) ctx.Errors[issue.Key] = issue.Message;

        foreach (var m in defaulted.Manifests)
            if (scopes.GetValueOrDefault(m.GroupKind) is { } namespaced && !scope.Allows(namespaced, m.Namespace))
                ctx.Errors[m.Key] = scope.Refusal(m.Key.ToString(), namespaced, m.Namespace);

        var unknown = defaulted.Errors.Select(e => e.Key).Concat(ctx.Errors.Keys).ToHashSet();
        return [.. defaulted.Manifests.Where(m => !unknown.Contains(m.Key)).Select(m => Decorate(ctx, m))];
    }

    private static Manifest Decorate(ReconcileContext ctx, Manifest manifest) => manifest.With(obj =>
    {
        var meta = obj["metadata"]!.AsObject();
        var labels = meta["labels"] as System.Text.Json.Nodes.JsonObject ?? new System.Text.Json.Nodes.JsonObject();
        labels[Annotations.ManagedByLabel] = Annotations.ManagedByValue;
        meta["labels"] = labels;
        var annotations = meta["annotations"] as System.Text.Json.Nodes.JsonObject ?? new System.Text.Json.Nodes.JsonObject();
        annotations[Annotations.TrackingId] = ctx.Identity.TrackingId(manifest.Key);
        meta["annotations"] = annotations;
    });
}
