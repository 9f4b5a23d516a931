using System.CommandLine;
using GitOps.Operator.Cluster;
using GitOps.Operator.Hosting;
using Microsoft.AspNetCore.Builder;

namespace GitOps.Operator.Cli;

/// <summary>`gitops operator`: run the controller (in-cluster config when no kubeconfig is given).</summary>
public static class OperatorCommand
{
    public static Command Build()
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "kubeconfig file (default: in-cluster config, then ~/.kube/config)" };
        var context = new Option<string?>("--context") { Description = "kubeconfig context to use" };
        var listen = new Option<string>("--listen") { Description = "address:port of /metrics, /healthz, /readyz, the webhook and the dashboard", DefaultValueFactory = _ => "127.0.0.1:8080" };
        var ns = new Option<string?>("--namespace") { Description = "watch Applications in this namespace only (default: all namespaces)" };
        var managedNamespaces = new Option<string?>("--managed-namespaces")
        {
            Description = "manage objects only in these namespaces (comma-separated), watching each on its own; cluster-scoped objects and others are refused (default: everywhere)",
        };
        var shards = new Option<int>("--shards") { Description = "split the Applications over this many replicas, one shard each (stable hash of namespace/name, or the gitops.dev/shard label)", DefaultValueFactory = _ => 1 };
        var shard = new Option<int?>("--shard") { Description = "this replica's shard, 0..shards-1 (default: the number at the end of $POD_NAME, as a StatefulSet names its pods)" };
        var workers = new Option<int>("--workers") { Description = "Applications reconciled at once", DefaultValueFactory = _ => 4 };
        var leaseNamespace = new Option<string?>("--lease-namespace") { Description = "namespace of the leader-election Lease (default: $POD_NAMESPACE or default)" };
        var noLeaderElection = new Option<bool>("--no-leader-election") { Description = "act without holding the leader Lease (a single replica only)" };
        var webhookSecretRef = new Option<string?>("--webhook-secret-ref")
        {
            Description = "NAMESPACE/NAME of the Secret with the push webhook secret (key 'secret', or per provider: github, gitlab, bitbucket, gitea, generic); without it every webhook is refused",
        };
        var defaultServiceAccount = new Option<string?>("--default-service-account")
        {
            Description = "service account (in the Application's namespace) that Applications without destination.serviceAccountName act as: every apply, prune and delete is impersonated (default: the operator's own identity)",
        };
        var gitFetchTimeout = new Option<TimeSpan>("--git-fetch-timeout")
        {
            Description = "longest a Git fetch may take before the Application gets a SourceError (Timeout), as hh:mm:ss",
            DefaultValueFactory = _ => Source.GitSourceTimeouts.Default.Fetch,
        };
        var logLevel = new Option<Serilog.Events.LogEventLevel>("--log-level")
        {
            Description = "least severe log level written: Verbose, Debug, Information, Warning, Error, Fatal",
            DefaultValueFactory = _ => Serilog.Events.LogEventLevel.Information,
        };
        var noDashboard = new Option<bool>("--no-dashboard") { Description = "do not serve the web dashboard at / (it is on by default; visitors sign in with a Kubernetes token)" };
        var dashboardAnonymous = new Option<bool>("--dashboard-anonymous") { Description = "let visitors without a token read every Application in the dashboard (never act)" };
        var allowKubeconfigExec = new Option<bool>("--allow-kubeconfig-exec")
        {
            Description = "accept destination-cluster kubeconfigs with exec credential plugins (they run a command in the operator's container; refused by default)",
        };
        var dashboardPathBase = new Option<string>("--dashboard-path-base") { Description = "serve the dashboard under this path (e.g. /gitops, for an Ingress that routes that prefix unchanged) instead of /" };
        var command = new Command("operator", "Run the GitOps controller against a cluster")
        {
            kubeconfig, context, listen, ns, managedNamespaces, shards, shard, workers, leaseNamespace, noLeaderElection, webhookSecretRef, defaultServiceAccount, gitFetchTimeout, logLevel,
            noDashboard, dashboardAnonymous, dashboardPathBase, allowKubeconfigExec,
        };
        command.SetAction(async (result, ct) =>
        {
            var (sharding, shardingError) = Controller.Sharding.Parse(result.GetValue(shards), result.GetValue(shard), Environment.GetEnvironmentVariable("POD_NAME"));
            if (sharding is null)
            {
                await Console.Error.WriteLineAsync($"gitops operator: {shardingError}");
                return 2;
            }
            if (Dashboard.DashboardOptions.NormalizePathBase(result.GetValue(dashboardPathBase)) is not { } pathBase)
            {
                await Console.Error.WriteLineAsync("gitops operator: --dashboard-path-base must be a path such as /gitops (letters, digits, - _ . ~ and /)");
                return 2;
            }
            var options = OperatorOptions.Default with
            {
                Kubeconfig = result.GetValue(kubeconfig),
                Context = result.GetValue(context),
                Listen = result.GetValue(listen)!,
                Namespace = result.GetValue(ns),
                ManagedScope = ManagedScope.Parse(result.GetValue(managedNamespaces)),
                Sharding = sharding,
                Workers = result.GetValue(workers),
                LeaseNamespace = result.GetValue(leaseNamespace) ?? Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "default",
                LeaderElection = !result.GetValue(noLeaderElection),
                AllowKubeconfigExec = result.GetValue(allowKubeconfigExec),
                LogLevel = result.GetValue(logLevel),
                GitTimeouts = Source.GitSourceTimeouts.Default with { Fetch = result.GetValue(gitFetchTimeout) },
                DefaultServiceAccount = result.GetValue(defaultServiceAccount) is { Length: > 0 } sa ? sa : null,
                Webhooks = Webhooks.WebhookOptions.Default with { SecretRef = result.GetValue(webhookSecretRef) },
                Dashboard = Dashboard.DashboardOptions.Default with { Enabled = !result.GetValue(noDashboard), Anonymous = result.GetValue(dashboardAnonymous), PathBase = pathBase },
            };
            if (options.Webhooks.SecretRef is not null && Webhooks.WebhookSecrets.ParseRef(options.Webhooks.SecretRef) is null)
            {
                await Console.Error.WriteLineAsync("gitops operator: --webhook-secret-ref must be NAMESPACE/NAME");
                return 2;
            }
            if (options.GitTimeouts.Fetch <= TimeSpan.Zero)
            {
                await Console.Error.WriteLineAsync("gitops operator: --git-fetch-timeout must be positive");
                return 2;
            }
            if (options.Workers < 1)
            {
                await Console.Error.WriteLineAsync("gitops operator: --workers must be at least 1");
                return 2;
            }
            var app = OperatorHost.Build(options);
            await app.RunAsync(ct);
            return 0;
        });
        return command;
    }
}
