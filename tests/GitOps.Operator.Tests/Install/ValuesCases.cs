namespace GitOps.Operator.Tests.Install;

/// <summary>
/// One values file per documented switch of charts/gitops-operator/values.yaml (and one with all of
/// them at once). Each is rendered, linted and dry-run applied; <see cref="ChartTests"/> fails
/// when a top-level value has no case here.
/// </summary>
internal static class ValuesCases
{
    /// <summary>Namespaces the cases name; the sandbox tests create them first.</summary>
    public static readonly string[] Namespaces = ["apps", "team-a"];

    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>
    {
        ["defaults"] = "",
        ["image"] = $"image: {{ repository: registry.example.com/gitops, tag: \"1.2.3\", digest: \"{Digest}\", pullPolicy: Always }}",
        ["image-pull-secrets"] = "imagePullSecrets: [ { name: regcred } ]",
        ["names"] = "nameOverride: gop\nfullnameOverride: my-gitops",
        ["single-replica"] = "replicas: 1\nleaderElection: false",
        ["sharded"] = "shards: 3",
        ["workers-and-log-level"] = "workers: 16\nlogLevel: debug",
        ["watch-namespace"] = "watchNamespace: apps",
        ["default-service-account"] = "defaultServiceAccount: gitops-deployer",
        ["extra-args-and-env"] = "extraArgs: [ \"--some-flag=value\" ]\nextraEnv: [ { name: GITOPS_EXTRA, value: \"1\" } ]",
        ["secret-namespaces"] = "secretNamespaces: [ apps, team-a ]",
        ["webhook-secret"] = "webhook: { secretName: gitops-webhook }",
        ["existing-service-account"] = "serviceAccount: { create: false, name: existing-sa }",
        ["service-account-annotations"] = "serviceAccount: { annotations: { example.com/role: gitops } }",
        ["no-rbac"] = "rbac: { create: false }",
        ["manage-namespaces"] = "rbac: { manage: { namespaces: [ apps, team-a ] } }",
        ["manage-rules"] = "rbac: { manage: { rules: [ { apiGroups: [ \"\", apps ], resources: [ configmaps, deployments ], verbs: [ get, list, watch, create, update, patch, delete ] } ] } }",
        ["port-and-service"] = "port: 9090\nservice: { type: NodePort, port: 80, annotations: { example.com/scrape: \"true\" } }",
        ["service-monitor"] = "serviceMonitor: { enabled: true, interval: 15s, scrapeTimeout: 5s, labels: { release: prometheus } }",
        ["prometheus-rule"] = "prometheusRule: { enabled: true, labels: { release: prometheus } }",
        ["ingress"] = "ingress: { enabled: true, className: nginx, annotations: { example.com/limit: \"10\" }, host: hooks.example.com, tls: { secretName: hooks-tls } }",
        ["no-dashboard"] = "dashboard: { enabled: false }",
        ["dashboard-anonymous"] = "dashboard: { anonymous: true }\ningress: { enabled: true }",
        ["no-pdb"] = "podDisruptionBudget: { enabled: false }",
        ["resources"] = "resources: { requests: { cpu: 50m, memory: 64Mi }, limits: { memory: 256Mi } }\ncacheSizeLimit: 1Gi",
        ["scheduling"] = """
            podAnnotations: { example.com/note: x }
            podLabels: { team: platform }
            priorityClassName: system-cluster-critical
            nodeSelector: { kubernetes.io/os: linux }
            tolerations: [ { key: dedicated, operator: Exists, effect: NoSchedule } ]
            affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [ { matchExpressions: [ { key: kubernetes.io/arch, operator: In, values: [ amd64, arm64 ] } ] } ] } } }
            topologySpread: { enabled: false }
            """,
        ["everything"] = $$"""
            image: { repository: registry.example.com/gitops, digest: "{{Digest}}" }
            replicas: 3
            workers: 8
            logLevel: info
            watchNamespace: apps
            defaultServiceAccount: gitops-deployer
            extraArgs: [ "--some-flag" ]
            secretNamespaces: [ apps ]
            webhook: { secretName: gitops-webhook }
            rbac: { manage: { namespaces: [ apps, team-a ] } }
            serviceMonitor: { enabled: true }
            prometheusRule: { enabled: true }
            ingress: { enabled: true, tls: { secretName: hooks-tls } }
            """,
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in All.Keys) data.Add(name);
        return data;
    }

    /// <summary>Writes the case's values to a file in <paramref name="dir"/>; returns its path.</summary>
    public static string WriteValues(string dir, string name)
    {
        var path = Path.Combine(dir, name + ".values.yaml");
        File.WriteAllText(path, All[name] + "\n");
        return path;
    }
}
