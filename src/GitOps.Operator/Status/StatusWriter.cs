using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;

namespace GitOps.Operator.Status;

/// <summary>Writes an Application's status through the status subresource, only when it changed.</summary>
public sealed class StatusWriter(IKubeApi api)
{
    /// <summary>
    /// Writes the status onto the version of the Application the reconcile read. When the server has a
    /// newer version (409 Conflict) this throws, and the reconcile is retried with backoff from the
    /// cache: the status is never written from an older version, and never dropped. Dropping it is not
    /// safe, because the newer version is often only the operator's own previous status write, still on
    /// its way to the cache: a status-only change queues no reconcile (<c>ApplicationChange.Matters</c>),
    /// so what this reconcile saw (a Deployment that became ready) would not be written until the interval.
    /// </summary>
    /// <returns>The Application as the server stored it, or null when nothing was written (unchanged, or gone).</returns>
    /// <exception cref="KubeApiException">409: the Application changed since it was read; the message names it.</exception>
    public async Task<System.Text.Json.Nodes.JsonObject?> WriteAsync(Application app, ApplicationStatus status, CancellationToken ct)
    {
        var json = status.ToJson();
        if (System.Text.Json.Nodes.JsonNode.DeepEquals(json, app.Object["status"])) return null;
        var updated = app.Object.DeepClone().AsObject();
        updated["status"] = json;
        try
        {
            return await api.SendAsync(HttpMethod.Put, ApplicationPaths.Status(app.Namespace, app.Name), updated.ToJsonString(), "application/json", ct);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // The Application went meanwhile: its deletion is reconciled on its own event.
            return null;
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            throw new KubeApiException(e.Code, e.Reason,
                $"{app.Namespace}/{app.Name}: status not written, the Application changed since resourceVersion " +
                $"{(string?)app.Object["metadata"]?["resourceVersion"]} was read; reconciling again from the newer version ({e.Message})", e.Status, e.RetryAfter);
        }
    }
}
