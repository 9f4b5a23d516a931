using GitOps.Operator.Apply;
using GitOps.Operator.Cluster;
using GitOps.Operator.Controller;
using GitOps.Operator.Dashboard;
using GitOps.Operator.Metrics;
using GitOps.Operator.Compare;
using GitOps.Operator.Render;
using GitOps.Operator.Render.Sops;
using GitOps.Operator.Status;
using GitOps.Operator.Source;
using GitOps.Operator.Webhooks;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace GitOps.Operator.Hosting;

/// <summary>
/// Composes the operator: Kubernetes access, caches, source, renderers, the controller and its
/// reconciler, leader election, and one HTTP listener with /healthz, /readyz, /metrics, /api/webhook and the dashboard (/ and /ui).
/// </summary>
public static class OperatorHost
{
    public static WebApplication Build(OperatorOptions options, Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The host's own logger, not the static Log.Logger (which AddSerilog's configure-callback form replaces, and
        // silences when a host is disposed): two hosts in one process (the tests) each keep their own log.
        var logs = new LoggerConfiguration().MinimumLevel.Is(options.LogLevel)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("System", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("identity", options.Identity)
            .Enrich.With<AppTagEnricher>();
        if (options.JsonLogs) logs.WriteTo.Console(new CompactJsonFormatter());
        else logs.WriteTo.Console(outputTemplate: AppTagEnricher.TextTemplate);
        if (options.LogCopy is not null) logs.WriteTo.Sink(new TextWriterSink(new CompactJsonFormatter(), options.LogCopy));
        builder.Services.AddSerilog(logs.CreateLogger(), dispose: true);
        var (address, port) = ParseListen(options.Listen);
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port));

        var config = options.Kubeconfig is not null
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig, currentContext: options.Context)
            : KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildDefaultConfig();
        var kubeApi = KubeApi.FromConfig(config);
        var metrics = new OperatorMetrics();
        metrics.ShardInfo.WithLabels(options.Sharding.Shard.ToString(System.Globalization.CultureInfo.InvariantCulture),
            options.Sharding.Shards.ToString(System.Globalization.CultureInfo.InvariantCulture)).Set(1);
        kubeApi.OnRequest = metrics.CountKubeRequest;

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(options.ForController);
        services.AddSingleton(new ApplyOptions(options.EstablishTimeout));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IKubeApi>(kubeApi);
        services.AddSingleton(metrics);
        services.AddSingleton<ApiDiscovery>();
        services.AddSingleton(sp => new Cluster.Remote.ClusterRegistrations(sp.GetRequiredService<IKubeApi>(), options.Clusters));
        services.AddSingleton(sp => new ApplicationController(sp.GetRequiredService<IKubeApi>(), sp.GetRequiredService<ControllerOptions>(), metrics, TimeProvider.System,
            sp.GetRequiredService<ILogger<ApplicationController>>(), sp.GetRequiredService<Cluster.Remote.ClusterRegistrations>()));
        services.AddSingleton<IApplicationStore>(sp => sp.GetRequiredService<ApplicationController>());
        services.AddSingleton(options.ManagedScope);
        services.AddSingleton(sp => new ManagedObjectCache(sp.GetRequiredService<IKubeApi>(), InformerOptions.Default, options.ManagedScope,
            (ns, name) => sp.GetRequiredService<ApplicationController>().Enqueue(ns, name)));
        services.AddSingleton(sp =>
        {
            var git = new GitSource(new GitSourceOptions(options.CacheDirectory, options.MaxCacheBytes, options.GitTimeouts), sp.GetRequiredService<ILogger<GitSource>>());
            git.RemoveLeftovers(); // of a process killed mid-write
            return git;
        });
        services.AddSingleton<IGitSource>(sp => sp.GetRequiredService<GitSource>());
        services.AddSingleton<SourceResolver>();
        services.AddSingleton(RenderToolOptions.FromEnvironment());
        services.AddSingleton(sp => new ToolRunner(sp.GetRequiredService<RenderToolOptions>(),
            (tool, elapsed) => metrics.RenderToolDuration.WithLabels(tool).Observe(elapsed.TotalSeconds)));
        services.AddSingleton(sp => new RenderCache(sp.GetRequiredService<RenderToolOptions>().CacheEntries, sp.GetRequiredService<RenderToolOptions>().CacheBytes));
        services.AddSingleton(sp => new HelmChartSource(sp.GetRequiredService<RenderToolOptions>().Charts, TimeProvider.System));
        services.AddSingleton(sp => RendererSelector.Create(sp.GetRequiredService<ToolRunner>(), sp.GetRequiredService<RenderCache>()));
        services.AddSingleton(RenderLimits.Default);
        services.AddSingleton<DesiredStateCache>(_ => new DesiredStateCache());
        services.AddSingleton<DecryptionKeyReader>();
        services.AddSingleton<DesiredStateBuilder>();
        services.AddSingleton<ServerSideApplier>();
        services.AddSingleton(new DiffCache());
        services.AddSingleton<LiveStateComparer>();
        services.AddSingleton<PlanExecutor>();
        services.AddSingleton<NamespaceEnsurer>();
        services.AddSingleton<HookRunner>();
        services.AddSingleton(options.Clusters);
        services.AddSingleton(sp => new Cluster.Remote.ClusterSecrets(sp.GetRequiredService<IKubeApi>(), options.Clusters, TimeProvider.System));
        services.AddSingleton(sp => new DestinationCluster(Cluster.Remote.ClusterRef.InCluster, kubeApi.BaseUri.ToString(), kubeApi,
            sp.GetRequiredService<ApiDiscovery>(), options.ManagedScope, sp.GetRequiredService<ManagedObjectCache>(), sp.GetRequiredService<ServerSideApplier>(),
            sp.GetRequiredService<LiveStateComparer>(), sp.GetRequiredService<PlanExecutor>(), sp.GetRequiredService<NamespaceEnsurer>(), sp.GetRequiredService<HookRunner>()));
        services.AddSingleton(sp => new DestinationClusters(sp.GetRequiredService<DestinationCluster>(), sp.GetRequiredService<Cluster.Remote.ClusterSecrets>(), options.Clusters,
            (cluster, kubeconfig) => DestinationCluster.Connect(cluster, kubeconfig, sp.GetRequiredService<ApplyOptions>(),
                (ns, name) => sp.GetRequiredService<ApplicationController>().Enqueue(ns, name), metrics.CountKubeRequest),
            sp.GetRequiredService<ILogger<DestinationClusters>>()));
        services.AddSingleton<ReconcilePipeline>();
        services.AddSingleton<CascadeDelete>();
        services.AddSingleton<StatusWriter>();
        services.AddSingleton<EventRecorder>();
        services.AddSingleton(sp => new Projects.ProjectStore(sp.GetRequiredService<IKubeApi>(), () =>
        {
            // New bounds count at once: every Application is looked at again.
            var controller = sp.GetRequiredService<ApplicationController>();
            foreach (var app in controller.List())
                controller.Enqueue((string?)app["metadata"]?["namespace"] ?? "", (string?)app["metadata"]?["name"] ?? "");
        }));
        services.AddSingleton(options.Notifications with { WatchNamespace = options.Namespace });
        services.AddSingleton(sp => new Notifications.NotificationSender(
            new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<Notifications.NotificationOptions>()));
        services.AddSingleton<Notifications.NotificationSecrets>();
        services.AddSingleton<Notifications.NotificationStatusWriter>();
        services.AddSingleton<Leadership>();
        services.AddSingleton<Notifications.NotificationDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<Notifications.NotificationDispatcher>());
        services.AddSingleton<ApplicationReconciler>();
        services.AddSingleton(options.Webhooks);
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<SourceRateLimiter>();
        services.AddSingleton<IPushTarget, ApplicationPushTarget>();
        services.AddSingleton<WebhookReceiver>();
        services.AddSingleton<OperatorService>();
        services.AddHostedService(sp => sp.GetRequiredService<OperatorService>());
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        configure?.Invoke(services);

        var app = builder.Build();
        var (runner, renderCache) = (app.Services.GetRequiredService<ToolRunner>(), app.Services.GetRequiredService<RenderCache>());
        var desiredCache = app.Services.GetRequiredService<DesiredStateCache>();
        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            metrics.RenderProcessesStarted.IncTo(runner.ProcessesStarted);
            metrics.RenderCacheLookups.WithLabels("hit").IncTo(renderCache.Hits);
            metrics.RenderCacheLookups.WithLabels("miss").IncTo(renderCache.Misses);
            metrics.DesiredStateCacheLookups.WithLabels("hit").IncTo(desiredCache.Hits);
            metrics.DesiredStateCacheLookups.WithLabels("miss").IncTo(desiredCache.Misses);
        });
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", (OperatorService service, ApplicationController controller, ManagedObjectCache cache) =>
        {
            if (!service.IsLeading)
            {
                if (service.ElectionError is { } error) return Results.Text($"standby: the leader Lease cannot be read: {error}", statusCode: 503);
                return service.KnownLeader is { Length: > 0 } leader
                    ? Results.Text($"standby: {leader} leads")
                    : Results.Text("standby: no leader known yet", statusCode: 503);
            }
            if (!controller.HasSynced) return Results.Text("Application cache not synced yet", statusCode: 503);
            if (controller.IsFailing || cache.Informers.Any(i => i.IsFailing))
                return Results.Text("the Kubernetes API is not answering watches", statusCode: 503);
            return Results.Text("ok");
        });
        app.MapMetrics("/metrics", metrics.Registry);
        app.MapPost("/api/webhook", async (HttpContext http, WebhookReceiver receiver) =>
        {
            var delivery = new WebhookDelivery(http.Connection.RemoteIpAddress, http.Request.Headers, http.Request.ContentType, http.Request.ContentLength, http.Request.Body);
            var response = await receiver.HandleAsync(delivery, http.RequestAborted);
            return Results.Text(response.Message + "\n", "text/plain", statusCode: response.Status);
        });
        if (options.Dashboard.Enabled)
            DashboardServer.ForOperator(DashboardServer.SourceOf(app.Services.GetRequiredService<ApplicationController>()), kubeApi,
                app.Services.GetRequiredService<ApiDiscovery>(), app.Services, options.Dashboard,
                app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GitOps.Operator.Dashboard")).Map(app);
        return app;
    }

    internal static (System.Net.IPAddress Address, int Port) ParseListen(string listen)
    {
        var colon = listen.LastIndexOf(':');
        var host = colon > 0 ? listen[..colon].Trim('[', ']') : "127.0.0.1";
        var port = int.Parse(colon >= 0 ? listen[(colon + 1)..] : listen, System.Globalization.CultureInfo.InvariantCulture);
        var address = host is "" or "*" or "0.0.0.0" ? System.Net.IPAddress.Any : System.Net.IPAddress.Parse(host);
        return (address, port);
    }
}
