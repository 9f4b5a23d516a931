using System.Text.Json.Nodes;
using GitOps.Operator.Applications;

namespace GitOps.Operator.Cluster;

/// <summary>
/// Server-side apply (and its dry run) and deletion of single objects, as field manager gitops-operator.
/// Applies ask for strict field validation by default, as <c>kubectl apply</c> and Argo CD do: a field
/// the kind does not declare (a typo in Git) fails that object with the server's message instead of
/// being dropped without a word; the sync option <c>Validate=false</c> turns it off.
/// </summary>
public sealed class ServerSideApplier(IKubeApi api)
{
    /// <summary>The object as the API server would make it, without storing anything.</summary>
    public Task<JsonObject> DryRunAsync(ResourceInfo resource, JsonObject desired, WriteOptions write, CancellationToken ct) =>
        SendApplyAsync(resource, desired, dryRun: true, write, ct);

    public Task<JsonObject> ApplyAsync(ResourceInfo resource, JsonObject desired, WriteOptions write, CancellationToken ct) =>
        SendApplyAsync(resource, desired, dryRun: false, write, ct);

    private Task<JsonObject> SendApplyAsync(ResourceInfo resource, JsonObject desired, bool dryRun, WriteOptions write, CancellationToken ct)
    {
        var ns = (string?)desired["metadata"]?["namespace"];
        var name = (string)desired["metadata"]!["name"]!;
        var query = $"?fieldManager={Annotations.FieldManager}&force=true&fieldValidation={write.FieldValidation}" + (dryRun ? "&dryRun=All" : "");
        return api.SendAsAsync(write.Impersonate, HttpMethod.Patch, resource.ObjectPath(ns, name) + query, desired.ToJsonString(), "application/apply-patch+yaml", ct);
    }

    /// <summary>Deletes an object (background propagation, only if its uid is still the one seen); false when already gone.</summary>
    public async Task<bool> DeleteAsync(ResourceInfo resource, string? ns, string name, string? uid, WriteOptions write, CancellationToken ct)
    {
        var impersonate = write.Impersonate;
        var options = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "DeleteOptions", ["propagationPolicy"] = "Background" };
        if (uid is not null) options["preconditions"] = new JsonObject { ["uid"] = uid };
        try
        {
            await api.SendAsAsync(impersonate, HttpMethod.Delete, resource.ObjectPath(ns, name), options.ToJsonString(), "application/json", ct);
            return true;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }
}
