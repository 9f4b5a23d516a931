using System.Text.Json.Nodes;
using System.Web;
using GitOps.Sandbox.FieldManagement;
using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.Tests.FieldManagement;

/// <summary>
/// Replays recorded requests through <see cref="FieldManager"/>. After each step the recorded
/// response becomes the live object, so server defaults we do not produce never leak into later steps.
/// </summary>
internal sealed class ScenarioReplayer
{
    private readonly Dictionary<string, JsonObject> _store = new(StringComparer.Ordinal);
    private DateTimeOffset _clock = new(2026, 11, 26, 7, 54, 52, TimeSpan.Zero);

    /// <summary>What our functions answer for one step: a body (object or Status) or null to skip the step.</summary>
    public JsonObject? Run(JsonObject request, JsonObject recordedResponse)
    {
        _clock = RecordedTime(recordedResponse) ?? _clock;
        var method = request["method"]!.GetValue<string>();
        var uri = new Uri("http://x" + request["path"]!.GetValue<string>());
        var query = HttpUtility.ParseQueryString(uri.Query);
        var (key, subresource) = Key(uri.AbsolutePath);
        var manager = query["fieldManager"] ?? "Python-urllib";
        var dryRun = query["dryRun"] is not null;
        var contentType = request["contentType"]?.GetValue<string>();
        _store.TryGetValue(key, out var live);
        var body = request["body"];
        JsonObject? result;

        if (method == "GET") return live?.DeepClone().AsObject();
        if (method == "PATCH" && contentType == "application/apply-patch+yaml")
        {
            var outcome = FieldManager.Apply(live, body!.AsObject(), manager, query["force"] == "true",
                SchemaOf(body!.AsObject()), _clock, subresource);
            if (outcome.HasConflicts) return outcome.ConflictStatus();
            result = outcome.Result;
        }
        else if (method == "POST")
            result = FieldManager.Update(null, body!.AsObject(), manager, _clock, SchemaOf(body!.AsObject()), subresource);
        else if (method == "PATCH" && live is not null)
        {
            var updated = live.DeepClone().AsObject();
            if (contentType == "application/json-patch+json") JsonPatchAdd(updated, body!.AsArray());
            else MergePatch(updated, body!.AsObject());
            result = FieldManager.Update(live, updated, manager, _clock, SchemaOf(live), subresource);
        }
        else return null;

        if (!dryRun && recordedResponse["code"]!.GetValue<int>() < 300 && recordedResponse["body"] is JsonObject recorded
            && recorded["kind"]?.GetValue<string>() is not ("Scale" or "Status"))
            _store[key] = recorded.DeepClone().AsObject();
        if (subresource == "scale" && result is not null && live is not null)
            _store[key] = result;
        return subresource == "scale" ? null : result;
    }

    /// <summary>The latest managedFields time of the recorded answer: the server's clock at that step.</summary>
    private static DateTimeOffset? RecordedTime(JsonObject response) =>
        (response["body"] as JsonObject)?["metadata"]?["managedFields"] is JsonArray entries
            ? entries.Select(e => e?["time"]?.GetValue<string>()).Where(t => t is not null)
                .Select(t => (DateTimeOffset?)DateTimeOffset.Parse(t!, System.Globalization.CultureInfo.InvariantCulture)).Max()
            : null;

    private static SchemaNode SchemaOf(JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]!.GetValue<string>();
        var slash = apiVersion.IndexOf('/');
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return BuiltinSchemas.Shared.Find(group, version, obj["kind"]!.GetValue<string>()) ?? SchemaNode.Unknown;
    }

    /// <summary>The object's store key and the subresource of a request path.</summary>
    private static (string Key, string? Subresource) Key(string path)
    {
        var parts = path.Trim('/').Split('/');
        var namespaces = Array.IndexOf(parts, "namespaces");
        var resourceAt = namespaces >= 0 && parts.Length > namespaces + 2 ? namespaces + 2 : parts[0] == "api" ? 2 : 3;
        var name = parts.Length > resourceAt + 1 ? parts[resourceAt + 1] : null;
        var subresource = parts.Length > resourceAt + 2 ? parts[resourceAt + 2] : null;
        return (parts[resourceAt] + "/" + name, subresource);
    }

    private static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (k, v) in patch)
        {
            if (v is null) target.Remove(k);
            else if (v is JsonObject p && target[k] is JsonObject t) MergePatch(t, p);
            else target[k] = v.DeepClone();
        }
    }

    private static void JsonPatchAdd(JsonObject target, JsonArray operations)
    {
        foreach (var op in operations)
        {
            var segments = op!["path"]!.GetValue<string>().Trim('/').Split('/');
            var parent = segments[..^1].Aggregate((JsonNode)target, (node, s) => node[s]!);
            parent[segments[^1]] = op["value"]?.DeepClone();
        }
    }
}
