using System.Text.Json.Nodes;
using GitOps.Engine.Model;

namespace GitOps.Engine.Policy.Guardrails;

/// <summary>No hostPath volume (a window onto the node's file system).</summary>
public sealed class HostPathRule : IGuardrail
{
    public const string RuleName = "no-host-path";

    public string Name => RuleName;

    public IEnumerable<string> Check(Manifest manifest, GuardrailSettings settings)
    {
        var found = new List<string>();
        if (PodSpecs.Of(manifest) is not { } pod) return found;
        foreach (var volume in Json.GetArray(pod, "volumes")?.OfType<JsonObject>() ?? [])
            if (Json.GetObject(volume, "hostPath") is { } hostPath)
                found.Add($"volume \"{Json.GetString(volume, "name")}\" mounts the node's {Json.GetString(hostPath, "path")}");
        return found;
    }
}
