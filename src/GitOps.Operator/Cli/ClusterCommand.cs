using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GitOps.Operator.Cluster;
using GitOps.Operator.Cluster.Remote;
using GitOps.Operator.Status;
using GitOps.Operator.Terminal;
using Spectre.Console;

namespace GitOps.Operator.Cli;

/// <summary>
/// `gitops cluster add|list|remove`: the clusters Applications name in spec.destination.clusterName, like
/// `argocd cluster add`. A registration is a Secret gitops-cluster-NAME in the operator's namespace, labelled
/// gitops.dev/cluster: NAME (and gitops.dev/shard: N), holding under `value` the cluster's kubeconfig made
/// self-contained for one context (<see cref="KubeconfigFlattener"/>); see <see cref="ClusterRegistration"/>.
/// Nothing here prints what a kubeconfig holds: only file names, contexts, servers and versions.
/// </summary>
internal static partial class ClusterCommand
{
    /// <summary>The operator's namespace when -n is not given: where the chart and deploy/install.yaml install it.</summary>
    public const string DefaultNamespace = "gitops-system";

    /// <summary>How long `cluster add` waits for the new cluster's /version.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);

    public static Command Build()
    {
        var command = new Command("cluster", "Register the clusters Applications deploy to (spec.destination.clusterName), like argocd cluster add");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Option<string> NamespaceOption() => new("--namespace", "-n")
    {
        Description = "the operator's namespace, where registrations live (the chart installs into gitops-system; `gitops operator` run by hand uses its --lease-namespace)",
        DefaultValueFactory = _ => DefaultNamespace,
    };

    private static Command Add()
    {
        var name = new Argument<string>("NAME") { Description = "the cluster's name, as Applications write it in spec.destination.clusterName (lowercase letters, digits and '-')" };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "kubeconfig of the cluster to add (default: $KUBECONFIG, then ~/.kube/config)" };
        var context = new Option<string?>("--context") { Description = "the context of that kubeconfig to register (default: its current-context)" };
        var shard = new Option<int?>("--shard") { Description = "the operator shard that handles this cluster's Applications (label gitops.dev/shard)" };
        var ns = NamespaceOption();
        var allowExec = new Option<bool>("--allow-exec")
        {
            Description = "accept a kubeconfig whose user runs an exec credential plugin (it runs here for the check, and in the operator's container, which needs --allow-kubeconfig-exec)",
        };
        var upsert = new Option<bool>("--upsert") { Description = "replace a registration of that name" };
        var operatorKubeconfig = new Option<string?>("--operator-kubeconfig")
        {
            Description = "kubeconfig of the cluster the operator runs in, where the registration is written (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)",
        };
        var operatorContext = new Option<string?>("--operator-context") { Description = "context of that kubeconfig (default: its current-context)" };
        var command = new Command("add", "Register a cluster from a kubeconfig context: checks that it answers, then writes its self-contained kubeconfig to a Secret in the operator's namespace")
        {
            name, kubeconfig, context, shard, ns, allowExec, upsert, operatorKubeconfig, operatorContext,
        };
        CliCommon.SetAction(command, async (result, o, ct) =>
        {
            var cluster = result.GetValue(name)!;
            if (ClusterRegistration.NameError(cluster) is { } nameError) throw new CliException(nameError);
            if (result.GetValue(shard) is < 0) throw new CliException($"--shard {result.GetValue(shard)}: a shard is 0 or more");
            var file = result.GetValue(kubeconfig);
            var contextName = result.GetValue(context);
            if (file is null && contextName is null)
                throw new CliException("name the cluster to add with --kubeconfig FILE and/or --context CONTEXT (the operator's own cluster needs no registration: Applications without clusterName deploy there)");
            var path = ClusterConnection.FindKubeconfig(file) ?? throw new CliException("no kubeconfig found: pass --kubeconfig FILE");
            if (!File.Exists(path)) throw new CliException($"the kubeconfig {path} does not exist");
            var flat = KubeconfigFlattener.Flatten(await File.ReadAllTextAsync(path, ct), path, contextName, result.GetValue(allowExec));

            var connection = ClusterConnection.Open(result.GetValue(operatorKubeconfig), result.GetValue(operatorContext));
            var target = result.GetValue(ns)!;
            var secretName = ClusterRegistration.SecretNameOf(cluster);
            var secretPath = $"/api/v1/namespaces/{target}/secrets/{secretName}";
            var existing = await connection.Api.GetAsync(secretPath, ct);
            if (existing is not null && !result.GetValue(upsert))
            {
                var what = (string?)existing["metadata"]?["labels"]?[ClusterRegistration.NameLabel] == cluster
                    ? $"cluster {cluster} is already registered (Secret {target}/{secretName}, server {ServerOfSecret(existing) ?? "?"})"
                    : $"a Secret {target}/{secretName} exists (not a cluster registration: it lacks the label {ClusterRegistration.NameLabel}: {cluster})";
                throw new CliException($"{what}; pass --upsert to replace it, or pick another name");
            }

            var version = await ProbeAsync(cluster, path, flat, result.GetValue(allowExec), ct);
            await o.Out.WriteLineAsync($"cluster {cluster}: {flat.Server} answers (Kubernetes {version})");

            var secret = Registration(cluster, target, flat.Text, result.GetValue(shard));
            try
            {
                if (existing is null)
                    await connection.Api.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{target}/secrets", secret.ToJsonString(), "application/json", ct);
                else
                {
                    secret["metadata"]!["resourceVersion"] = existing["metadata"]?["resourceVersion"]?.DeepClone();
                    await connection.Api.SendAsync(HttpMethod.Put, secretPath, secret.ToJsonString(), "application/json", ct);
                }
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                throw new CliException($"namespace {target} does not exist in {connection.Server}: registrations go to the operator's namespace "
                    + $"(pass -n NS: the chart installs into {DefaultNamespace}; `gitops operator` uses its --lease-namespace, default `default`)");
            }
            catch (KubeApiException e) when (e.IsConflict)
            {
                throw new CliException($"Secret {target}/{secretName} changed while this ran (someone else registered {cluster}); run the command again");
            }
            var shardText = result.GetValue(shard) is { } n ? $", shard {n}" : "";
            await o.Out.WriteLineAsync($"cluster {cluster} {(existing is null ? "registered" : "replaced")}: Secret {target}/{secretName} in {connection.Server}{shardText}");
            await o.Out.WriteLineAsync($"Applications deploy to it with spec.destination.clusterName: {cluster} (a Project must list it in destinations[].name)");
            if (flat.ExecCommand is { } exec)
                await o.Error.WriteLineAsync($"note: the kubeconfig runs the exec plugin \"{exec}\": the operator uses it only with --allow-kubeconfig-exec, and the command must be in its image");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var common = new CliCommon();
        var ns = NamespaceOption();
        var output = new Option<string>("--output", "-o") { Description = "output format: table, json or yaml", DefaultValueFactory = _ => "table" }
            .AcceptOnlyFromAmong("table", "json", "yaml");
        var command = new Command("list", "The clusters Applications deploy to: the operator's own (in-cluster) and the registered ones, with their Applications and connection") { ns, output };
        common.AddTo(command, withNamespace: false);
        CliCommon.SetAction(command, async (result, o, ct) =>
        {
            var connection = common.Connect(result);
            var target = result.GetValue(ns)!;
            var rows = await RowsAsync(connection, target, o, ct);
            var format = result.GetValue(output)!;
            if (format == "json") o.Json(ToJson(rows));
            else if (format == "yaml") o.Yaml(ToJson(rows));
            else
            {
                var table = Tables.New("name", "server", "shard", "apps", "connected");
                foreach (var r in rows)
                    table.AddRow(new Text(r.Name), new Text(r.Server), new Text(r.Shard ?? "-"), new Text(r.Apps.Count.ToString(CultureInfo.InvariantCulture)), Tables.Cell(r.ConnectedText));
                o.Write(table);
            }
            return 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var common = new CliCommon();
        var name = new Argument<string>("NAME") { Description = "the registered cluster's name" };
        var ns = NamespaceOption();
        var force = new Option<bool>("--force")
        {
            Description = "remove it even while Applications deploy to it (they stop syncing with ClusterConnected False, ClusterSecretMissing; what they deployed stays)",
        };
        var command = new Command("remove", "Delete a cluster's registration; refused while Applications deploy to it, unless --force") { name, ns, force };
        common.AddTo(command, withNamespace: false);
        CliCommon.SetAction(command, async (result, o, ct) =>
        {
            var cluster = result.GetValue(name)!;
            if (ClusterRegistration.NameError(cluster) is { } nameError) throw new CliException(nameError);
            var connection = common.Connect(result);
            var target = result.GetValue(ns)!;
            var secretName = ClusterRegistration.SecretNameOf(cluster);
            var path = $"/api/v1/namespaces/{target}/secrets/{secretName}";
            var secret = await connection.Api.GetAsync(path, ct)
                ?? throw new CliException($"no cluster {cluster} is registered in namespace {target} (no Secret {secretName}; see gitops cluster list -n NS)");
            if ((string?)secret["metadata"]?["labels"]?[ClusterRegistration.NameLabel] != cluster)
                throw new CliException($"Secret {target}/{secretName} is not a cluster registration (it lacks the label {ClusterRegistration.NameLabel}: {cluster}); left alone");
            var apps = (await new ApplicationClient(connection.Api).ListAsync(null, ct))
                .Where(a => DestinationOf(a) == (ClusterRefKind.Registered, cluster)).Select(Subject).ToList();
            if (apps.Count > 0 && !result.GetValue(force))
                throw new CliException($"cluster {cluster} is the destination of {Count(apps.Count, "Application")}: {Few(apps)}; "
                    + "point them elsewhere or delete them first, or pass --force (they then stop syncing; what they deployed stays)");
            await connection.Api.SendAsync(HttpMethod.Delete, path, null, "application/json", ct);
            await o.Out.WriteLineAsync($"cluster {cluster} removed (Secret {target}/{secretName} deleted)");
            if (apps.Count > 0)
                await o.Error.WriteLineAsync($"warning: {Count(apps.Count, "Application")} still name cluster {cluster} and stop syncing (ClusterSecretMissing): {Few(apps)}");
            return 0;
        });
        return command;
    }

    /// <summary>The registration Secret, as the operator reads it.</summary>
    internal static JsonObject Registration(string cluster, string ns, string kubeconfig, int? shard)
    {
        var labels = new JsonObject { [ClusterRegistration.NameLabel] = cluster };
        if (shard is { } n) labels[ClusterRegistration.ShardLabel] = n.ToString(CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = ClusterRegistration.SecretNameOf(cluster), ["namespace"] = ns, ["labels"] = labels },
            ["type"] = "Opaque",
            ["data"] = new JsonObject { [ClusterRef.DefaultKey] = Convert.ToBase64String(Encoding.UTF8.GetBytes(kubeconfig)) },
        };
    }

    /// <summary>Asks the new cluster for /version with the registered kubeconfig, read as the operator reads it; a failure says why and that nothing was written.</summary>
    private static async Task<string> ProbeAsync(string cluster, string path, KubeconfigFlattener.Flat flat, bool allowExec, CancellationToken ct)
    {
        Kubeconfig config;
        try
        {
            config = KubeconfigReader.Read(flat.Text, null, allowExec, $"{path} (context \"{flat.Context}\")");
        }
        catch (ClusterCredentialsException e)
        {
            throw new CliException(e.Message);
        }
        var api = KubeApi.FromConfig(config.Config);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(ProbeTimeout);
            var version = await api.SendAsync(HttpMethod.Get, "/version", null, "application/json", timeout.Token);
            return (string?)version["gitVersion"] ?? "unknown";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"cluster {cluster}: {flat.Server} did not answer within {ProbeTimeout.TotalSeconds:0}s (is it running, and reachable from here?); nothing was registered");
        }
        catch (KubeApiException e)
        {
            var why = e.Code switch
            {
                0 => $"does not answer: {e.Message} (is it running, and reachable from here?)",
                401 => "refused the kubeconfig's credentials (401 Unauthorized)",
                _ => $"answered {e.Code} {e.Reason} to GET /version",
            };
            throw new CliException($"cluster {cluster}: {flat.Server} {why}; nothing was registered");
        }
        finally
        {
            api.Dispose();
        }
    }

    /// <summary>One row of `cluster list`: a destination cluster, the Applications deploying to it and how they last found it.</summary>
    internal sealed record ClusterRow(string Name, string Server, string? Shard, string? Secret, IReadOnlyList<string> Apps, Condition? Connected)
    {
        /// <summary>True (version), False (reason), Unknown while none of its Applications has said, "-" without Applications.</summary>
        public string ConnectedText => Connected switch
        {
            { Status: Condition.True } c => VersionIn(c.Message) is { } v ? $"True ({v})" : "True",
            { } c => $"{c.Status} ({c.Reason})",
            null => Apps.Count == 0 ? "-" : "Unknown",
        };
    }

    private static async Task<IReadOnlyList<ClusterRow>> RowsAsync(ClusterConnection connection, string ns, CliOutput o, CancellationToken ct)
    {
        var apps = await new ApplicationClient(connection.Api).ListAsync(null, ct);
        var byCluster = apps.GroupBy(DestinationOf).ToDictionary(g => g.Key, g => g.ToList());
        List<JsonObject> Of(ClusterRefKind kind, string name) => byCluster.GetValueOrDefault((kind, name)) ?? [];

        // The operator's own cluster, as this command reaches it (its Applications carry no ClusterConnected).
        var own = await connection.Api.SendAsync(HttpMethod.Get, "/version", null, "application/json", ct);
        var rows = new List<ClusterRow>
        {
            new(ClusterRef.InClusterName, connection.Server, null, null, [.. Of(ClusterRefKind.InCluster, ClusterRef.InClusterName).Select(Subject)],
                new Condition(Reasons.ClusterConnected, Condition.True, Reasons.Connected, $"{connection.Server} (Kubernetes {(string?)own["gitVersion"] ?? "unknown"})", default, 0)),
        };

        var list = await connection.Api.GetAsync($"/api/v1/namespaces/{ns}/secrets?labelSelector={Uri.EscapeDataString(ClusterRegistration.NameLabel)}", ct);
        var registered = new SortedDictionary<string, ClusterRow>(StringComparer.Ordinal);
        foreach (var secret in (list?["items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string?)secret["metadata"]?["labels"]?[ClusterRegistration.NameLabel] ?? "";
            var secretName = (string?)secret["metadata"]?["name"] ?? "";
            if (secretName != ClusterRegistration.SecretNameOf(name))
            {
                await o.Error.WriteLineAsync($"note: Secret {ns}/{secretName} carries {ClusterRegistration.NameLabel}: {name} but the operator reads cluster {name} from {ClusterRegistration.SecretNameOf(name)} only; ignored");
                continue;
            }
            var users = Of(ClusterRefKind.Registered, name);
            registered[name] = new ClusterRow(name, ServerOfSecret(secret) ?? "?", (string?)secret["metadata"]?["labels"]?[ClusterRegistration.ShardLabel],
                $"{ns}/{secretName}", [.. users.Select(Subject)], Newest(users));
        }
        // Names Applications use that are not registered here: they fail with ClusterSecretMissing.
        foreach (var ((kind, name), users) in byCluster)
            if (kind == ClusterRefKind.Registered && !registered.ContainsKey(name))
                registered[name] = new ClusterRow(name, "(not registered)", null, null, [.. users.Select(Subject)], Newest(users));
        rows.AddRange(registered.Values);

        // Kubeconfig Secrets of Applications' own namespaces (destination.cluster.secretRef): shown by their Secret, server as the operator last found it.
        foreach (var ((kind, name), users) in byCluster.Where(p => p.Key.Kind == ClusterRefKind.Secret).OrderBy(p => p.Key.Name, StringComparer.Ordinal))
        {
            var newest = Newest(users);
            rows.Add(new ClusterRow(name, ServerIn(newest?.Message) ?? "-", null, name, [.. users.Select(Subject)], newest));
        }
        if (registered.Count == 0 && await NamespaceMissingAsync(connection.Api, ns, ct))
            await o.Error.WriteLineAsync($"note: namespace {ns} does not exist: is the operator installed in another one? (pass -n NS)");
        return rows;
    }

    private static async Task<bool> NamespaceMissingAsync(IKubeApi api, string ns, CancellationToken ct)
    {
        try
        {
            return await api.GetAsync($"/api/v1/namespaces/{ns}", ct) is null;
        }
        catch (KubeApiException e) when (e.Code == 403)
        {
            return false;
        }
    }

    private static JsonArray ToJson(IReadOnlyList<ClusterRow> rows) => [.. rows.Select(r => (JsonNode)new JsonObject
    {
        ["name"] = r.Name,
        ["server"] = r.Server,
        ["shard"] = r.Shard,
        ["secret"] = r.Secret,
        ["applications"] = new JsonArray([.. r.Apps.Select(a => (JsonNode)a)]),
        ["connected"] = r.Connected is { } c
            ? new JsonObject { ["status"] = c.Status, ["reason"] = c.Reason, ["message"] = c.Message, ["version"] = VersionIn(c.Message) }
            : null,
    })];

    /// <summary>The ClusterConnected condition of the Applications that changed most lately: the freshest word on the cluster.</summary>
    private static Condition? Newest(IEnumerable<JsonObject> apps) =>
        apps.Select(a => ApplicationStatus.Of(a).Find(Reasons.ClusterConnected)).OfType<Condition>().MaxBy(c => c.LastTransitionTime);

    /// <summary>Where an Application deploys: in-cluster, a registered cluster's name, or NS/SECRET of a kubeconfig Secret in its namespace.</summary>
    internal static (ClusterRefKind Kind, string Name) DestinationOf(JsonObject app)
    {
        var destination = app["spec"]?["destination"];
        if ((string?)destination?["cluster"]?["secretRef"]?["name"] is { Length: > 0 } secret)
            return (ClusterRefKind.Secret, $"{ApplicationClient.Namespace(app)}/{secret}");
        return (string?)destination?["clusterName"] is { Length: > 0 } name && name != ClusterRef.InClusterName
            ? (ClusterRefKind.Registered, name)
            : (ClusterRefKind.InCluster, ClusterRef.InClusterName);
    }

    private static string Subject(JsonObject app) => $"{ApplicationClient.Namespace(app)}/{ApplicationClient.Name(app)}";

    private static string? ServerOfSecret(JsonObject secret)
    {
        try
        {
            var data = secret["data"];
            if ((string?)data?[ClusterRef.DefaultKey] is not { Length: > 0 } value) return null;
            var context = (string?)data?["context"] is { Length: > 0 } c ? Encoding.UTF8.GetString(Convert.FromBase64String(c)) : null;
            return KubeconfigFlattener.ServerOf(Encoding.UTF8.GetString(Convert.FromBase64String(value)), context);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? VersionIn(string? message) => message is not null && VersionPattern().Match(message) is { Success: true } m ? m.Groups[1].Value : null;

    private static string? ServerIn(string? message) => message is not null && ServerPattern().Match(message) is { Success: true } m ? m.Groups[1].Value : null;

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static string Few(IReadOnlyList<string> names) =>
        names.Count <= 10 ? string.Join(", ", names) : string.Join(", ", names.Take(10)) + $" and {names.Count - 10} more";

    [GeneratedRegex(@"\(Kubernetes ([^)\s]+)\)")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@" at (https?://\S+)")]
    private static partial Regex ServerPattern();
}
