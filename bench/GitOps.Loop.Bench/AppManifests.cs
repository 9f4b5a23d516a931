using System.Globalization;
using System.Text;

namespace GitOps.Loop.Bench;

/// <summary>One object of an app as it sits in Git: file name, API path parts and YAML.</summary>
public sealed record AppObject(string File, string ApiVersion, string Plural, string Name, string Yaml)
{
    /// <summary>The object's REST path in a namespace.</summary>
    public string Path(string ns)
    {
        var prefix = ApiVersion.Contains('/', StringComparison.Ordinal) ? $"/apis/{ApiVersion}" : $"/api/{ApiVersion}";
        return $"{prefix}/namespaces/{ns}/{Plural}/{Name}";
    }
}

/// <summary>
/// The objects of one benchmark app (no Secret): Deployment, Service, ConfigMap, ServiceAccount,
/// Role, RoleBinding, HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy, then more
/// ConfigMaps up to the count asked for. Namespace-less: the Application's destination sets it.
/// </summary>
public static class AppManifests
{
    /// <summary>The ConfigMap the drift and webhook steps change; its data key is <see cref="GreetingKey"/>.</summary>
    public const string ConfigMapName = "web-config";
    public const string GreetingKey = "greeting";

    /// <summary>The labels of the Pods of each app's Deployment.</summary>
    public const string PodSelector = "app=web";

    public static string Greeting(string app, int revision) => $"hello from {app}, revision {revision}";

    public static IReadOnlyList<AppObject> For(string app, int count, int revision = 1)
    {
        var all = new List<AppObject>
        {
            new("deployment.yaml", "apps/v1", "deployments", "web", $$"""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  labels: {"app": "web", "bench/app": "{{app}}"}
                spec:
                  replicas: 1
                  selector:
                    matchLabels: {"app": "web"}
                  template:
                    metadata:
                      labels: {"app": "web"}
                    spec:
                      serviceAccountName: web
                      containers:
                        - name: web
                          image: nginx:1.27
                          ports:
                            - containerPort: 80
                          envFrom:
                            - configMapRef:
                                name: {{ConfigMapName}}
                          resources:
                            requests: {"cpu": "10m", "memory": "16Mi"}
                """),
            new("service.yaml", "v1", "services", "web", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector: {"app": "web"}
                  ports:
                    - port: 80
                      targetPort: 80
                """),
            new("configmap.yaml", "v1", "configmaps", ConfigMapName, $$"""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ConfigMapName}}
                data:
                  {{GreetingKey}}: "{{Greeting(app, revision)}}"
                  LOG_LEVEL: info
                """),
            new("serviceaccount.yaml", "v1", "serviceaccounts", "web", """
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: web
                """),
            new("role.yaml", "rbac.authorization.k8s.io/v1", "roles", "web", """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: web
                rules:
                  - apiGroups: [""]
                    resources: ["configmaps"]
                    verbs: ["get", "list", "watch"]
                """),
            new("rolebinding.yaml", "rbac.authorization.k8s.io/v1", "rolebindings", "web", """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata:
                  name: web
                roleRef:
                  apiGroup: rbac.authorization.k8s.io
                  kind: Role
                  name: web
                subjects:
                  - kind: ServiceAccount
                    name: web
                """),
            new("hpa.yaml", "autoscaling/v2", "horizontalpodautoscalers", "web", """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: web
                spec:
                  scaleTargetRef:
                    apiVersion: apps/v1
                    kind: Deployment
                    name: web
                  minReplicas: 1
                  maxReplicas: 3
                  metrics:
                    - type: Resource
                      resource:
                        name: cpu
                        target:
                          type: Utilization
                          averageUtilization: 80
                """),
            new("pdb.yaml", "policy/v1", "poddisruptionbudgets", "web", """
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata:
                  name: web
                spec:
                  minAvailable: 1
                  selector:
                    matchLabels: {"app": "web"}
                """),
            new("networkpolicy.yaml", "networking.k8s.io/v1", "networkpolicies", "web", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: web
                spec:
                  podSelector:
                    matchLabels: {"app": "web"}
                  policyTypes: ["Ingress"]
                  ingress:
                    - ports:
                        - port: 80
                """),
        };
        for (var i = 1; all.Count < count; i++)
        {
            var name = $"extra-{i.ToString(CultureInfo.InvariantCulture)}";
            all.Add(new($"{name}.yaml", "v1", "configmaps", name, $$"""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{name}}
                data:
                  index: "{{i.ToString(CultureInfo.InvariantCulture)}}"
                  app: "{{app}}"
                """));
        }
        return [.. all.Take(count).Select(o => o with { Yaml = o.Yaml + "\n" })];
    }

    /// <summary>The Chart.yaml of the Helm flavour of an app: the same files, as templates/.</summary>
    public static string Chart(string app) => $"apiVersion: v2\nname: {app}\nversion: 0.1.0\n";

    /// <summary>A kustomization.yaml over the app's files (the Kustomize flavour of the same app).</summary>
    public static string Kustomization(IReadOnlyList<AppObject> objects)
    {
        var sb = new StringBuilder("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n");
        foreach (var o in objects) sb.Append("  - ").Append(o.File).Append('\n');
        return sb.ToString();
    }
}
