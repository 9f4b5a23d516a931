using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;

namespace GitOps.Operator.Notifications;

/// <summary>Why a Notification's Secret cannot be used; the message names the Secret and key, never a value.</summary>
public sealed class NotificationSecretException(string message) : Exception(message);

/// <summary>
/// Reads the key a Notification names from a Secret in the Notification's own namespace, by a GET as
/// the operator at each delivery (a rotated Secret counts at once). There is no way to name a Secret
/// in another namespace: one team cannot make the operator send another team's token.
/// </summary>
public sealed class NotificationSecrets(IKubeApi api)
{
    public async Task<byte[]> ReadAsync(string notificationNamespace, SecretKeyRef secretRef, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(secretRef);
        var shown = $"{notificationNamespace}/{secretRef.Name}";
        JsonObject? secret;
        try
        {
            secret = await api.GetAsync($"/api/v1/namespaces/{Uri.EscapeDataString(notificationNamespace)}/secrets/{Uri.EscapeDataString(secretRef.Name)}", ct);
        }
        catch (KubeApiException e) when (e.Code == 403)
        {
            throw new NotificationSecretException($"the Secret {shown} cannot be read: the operator is forbidden to get it");
        }
        if (secret is null) throw new NotificationSecretException($"the Secret {shown} named by spec.target.secretRef does not exist");
        if (secret["data"]?[secretRef.Key] is not JsonValue value || !value.TryGetValue<string>(out var b64))
            throw new NotificationSecretException($"the Secret {shown} has no key {secretRef.Key}");
        try
        {
            return Convert.FromBase64String(b64);
        }
        catch (FormatException)
        {
            throw new NotificationSecretException($"the key {secretRef.Key} of the Secret {shown} is not base64");
        }
    }
}
