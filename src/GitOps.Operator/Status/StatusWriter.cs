using GitOps.Operator.Applications;
using GitOps.Operator.Cluster;

namespace GitOps.Operator.Status;

/// <summary>Writes an Application's status through the status subresource, only when it changed.</summary>
public sealed class StatusWriter(IKubeApi api)
{
    public async Task WriteAsync(Application app, ApplicationStatus status, CancellationToken ct)
    {
        var json = status.ToJson();
        if (System.Text.Json.Nodes.JsonNode.DeepEquals(json, app.Object["status"])) return;
        var updated = app.Object.DeepClone().AsObject();
        updated["status"] = json;
        try
        {
            await api.SendAsync(HttpMethod.Put, ApplicationPaths.Status(app.Namespace, app.Name), updated.ToJsonString(), "application/json", ct);
        }
        catch (KubeApiException e) when (e.IsConflict || e.IsNotFound)
        {
            // The Application changed (or went) meanwhile: its watch event brings us back with the new version.
        }
    }
}
