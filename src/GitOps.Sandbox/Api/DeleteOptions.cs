using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Api;

public enum Propagation { Background, Foreground, Orphan }

/// <summary>metav1.DeleteOptions, from the request body and query.</summary>
public sealed record DeleteOptions(Propagation? Policy, string? PreconditionUid, string? PreconditionResourceVersion, bool DryRun)
{
    public static DeleteOptions From(JsonObject? body, Func<string, string?> query)
    {
        var policyText = (string?)body?["propagationPolicy"] ?? query("propagationPolicy");
        Propagation? policy = policyText switch
        {
            null or "" => null,
            "Background" => Propagation.Background,
            "Foreground" => Propagation.Foreground,
            "Orphan" => Propagation.Orphan,
            _ => throw new StatusException(422, "Invalid", $"DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"{policyText}\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\""),
        };
        var orphan = body?["orphanDependents"] is JsonValue o && o.TryGetValue<bool>(out var ob) ? ob : (bool?)null;
        if (policy is null && orphan is not null) policy = orphan.Value ? Propagation.Orphan : Propagation.Background;
        var dryRun = body?["dryRun"] is JsonArray d ? d.Any(x => (string?)x == "All") : query("dryRun") == "All";
        return new DeleteOptions(policy, (string?)body?["preconditions"]?["uid"], (string?)body?["preconditions"]?["resourceVersion"], dryRun);
    }
}
