using System.Text.Json.Nodes;
using GitOps.Engine.Model;

namespace GitOps.Operator.Cli;

/// <summary>
/// A kubeconfig made self-contained for one context, as <c>kubectl config view --minify --flatten --context C</c>
/// prints it: only that context, its cluster and its user, with every file it names (certificate-authority,
/// client-certificate, client-key, tokenFile) read and embedded (a relative path is relative to the
/// kubeconfig's folder, as kubectl resolves it). Auth providers are refused, and so are exec plugins unless
/// allowed: both run commands wherever the kubeconfig is used, the operator's container included.
/// Messages name the file, context and field, never what the kubeconfig holds.
/// </summary>
internal static class KubeconfigFlattener
{
    /// <summary>The self-contained kubeconfig text, its one context, the server it names, and the exec plugin's command if it has one.</summary>
    public sealed record Flat(string Text, string Context, string Server, string? ExecCommand);

    public static Flat Flatten(string text, string path, string? context, bool allowExec)
    {
        var config = Parse(text, path);
        var (contextName, ctx, cluster, user) = Select(config, context, path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var shown = $"{path} (context \"{contextName}\")";

        var clusterBody = (JsonObject)((JsonObject)cluster["cluster"]!).DeepClone();
        Embed(clusterBody, "certificate-authority", "certificate-authority-data", folder, shown);
        var server = ServerOf(clusterBody) ?? throw new CliException($"{shown}: its cluster has no http(s) server address");

        JsonObject? userEntry = null;
        string? execCommand = null;
        if (user is not null)
        {
            var userBody = user["user"] is JsonObject u ? (JsonObject)u.DeepClone() : [];
            if (userBody["auth-provider"] is JsonObject provider)
                throw new CliException($"{shown}: auth-provider \"{(string?)provider["name"]}\" is refused: it runs commands in the operator's container and is gone from kubectl; use a token, a client certificate or an exec plugin");
            if (userBody["exec"] is JsonObject exec)
            {
                execCommand = (string?)exec["command"] ?? "";
                if (!allowExec)
                    throw new CliException($"{shown}: the user runs an exec credential plugin ({execCommand}), refused: it would run in the operator's container. "
                        + "Pass --allow-exec to register it anyway; the operator then also needs --allow-kubeconfig-exec and the command in its image. Better: a service account token or a client certificate");
            }
            Embed(userBody, "client-certificate", "client-certificate-data", folder, shown);
            Embed(userBody, "client-key", "client-key-data", folder, shown);
            if (userBody["tokenFile"] is JsonValue tokenFile)
            {
                userBody.Remove("tokenFile");
                var token = ReadFile((string?)tokenFile ?? "", folder, "tokenFile", shown); // read even when a token wins, as a broken reference should not go unseen
                if (userBody["token"] is null) userBody["token"] = System.Text.Encoding.UTF8.GetString(token).Trim();
            }
            userEntry = new JsonObject { ["name"] = user["name"]?.DeepClone(), ["user"] = userBody };
        }

        var contextBody = (JsonObject)((JsonObject)ctx["context"]!).DeepClone();
        var flat = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Config",
            ["clusters"] = new JsonArray(new JsonObject { ["name"] = cluster["name"]?.DeepClone(), ["cluster"] = clusterBody }),
            ["users"] = userEntry is null ? new JsonArray() : new JsonArray(userEntry),
            ["contexts"] = new JsonArray(new JsonObject { ["name"] = contextName, ["context"] = contextBody }),
            ["current-context"] = contextName,
        };
        return new Flat(CliOutput.ToYaml(flat), contextName, server, execCommand);
    }

    /// <summary>The server a registered cluster's kubeconfig names for its context (or current-context); null when it cannot be told.</summary>
    public static string? ServerOf(string text, string? context)
    {
        try
        {
            var (_, _, cluster, _) = Select(Parse(text, "kubeconfig"), context, "kubeconfig");
            return cluster["cluster"] is JsonObject body ? ServerOf(body) : null;
        }
        catch (CliException)
        {
            return null;
        }
    }

    private static string? ServerOf(JsonObject clusterBody) =>
        (string?)clusterBody["server"] is { Length: > 0 } s && Uri.TryCreate(s, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? s.TrimEnd('/')
            : null;

    private static JsonObject Parse(string text, string path)
    {
        JsonNode? node;
        try
        {
            node = YamlJson.Parse(text, path);
        }
        catch (ManifestException e)
        {
            throw new CliException($"cannot read the kubeconfig {e.Message}");
        }
        return node as JsonObject ?? throw new CliException($"{path} is not a kubeconfig (no clusters, users and contexts)");
    }

    private static (string Name, JsonObject Context, JsonObject Cluster, JsonObject? User) Select(JsonObject config, string? context, string path)
    {
        var name = string.IsNullOrEmpty(context) ? (string?)config["current-context"] : context;
        if (string.IsNullOrEmpty(name)) throw new CliException($"{path} has no current-context: name one with --context");
        var ctx = Named(config, "contexts", name)
            ?? throw new CliException($"{path} has no context \"{name}\" (it has: {string.Join(", ", Names(config, "contexts"))})");
        var clusterName = (string?)ctx["context"]?["cluster"];
        var cluster = clusterName is null ? null : Named(config, "clusters", clusterName);
        if (cluster?["cluster"] is not JsonObject)
            throw new CliException($"{path}: context \"{name}\" names no cluster of the kubeconfig{(clusterName is null ? "" : $" (\"{clusterName}\")")}");
        var userName = (string?)ctx["context"]?["user"];
        JsonObject? user = null;
        if (!string.IsNullOrEmpty(userName))
            user = Named(config, "users", userName) ?? throw new CliException($"{path}: context \"{name}\" names the user \"{userName}\", which the kubeconfig does not have");
        return (name, ctx, cluster, user);
    }

    private static JsonObject? Named(JsonObject config, string list, string name) =>
        (config[list] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(e => (string?)e["name"] == name);

    private static IEnumerable<string> Names(JsonObject config, string list) =>
        (config[list] as JsonArray)?.OfType<JsonObject>().Select(e => (string?)e["name"] ?? "?") ?? [];

    /// <summary>Replaces a file reference with its content (base64) under the -data key; embedded data already there wins, as in kubectl.</summary>
    private static void Embed(JsonObject body, string fileKey, string dataKey, string folder, string shown)
    {
        if (body[fileKey] is not JsonValue reference) return;
        var file = (string?)reference ?? "";
        body.Remove(fileKey);
        if (body[dataKey] is JsonValue existing && ((string?)existing)?.Length > 0) return;
        body[dataKey] = Convert.ToBase64String(ReadFile(file, folder, fileKey, shown));
    }

    private static byte[] ReadFile(string file, string folder, string field, string shown)
    {
        var full = Resolve(file, folder);
        if (!File.Exists(full)) throw new CliException($"{shown}: {field} {full} does not exist (the registration embeds the file's content)");
        try
        {
            return File.ReadAllBytes(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{shown}: {field} {full} cannot be read: {e.Message}");
        }
    }

    private static string Resolve(string file, string folder)
    {
        if (file.StartsWith("~/", StringComparison.Ordinal))
            file = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), file[2..]);
        return Path.IsPathRooted(file) ? file : Path.GetFullPath(Path.Combine(folder, file));
    }
}
