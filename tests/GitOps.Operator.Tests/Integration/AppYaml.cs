namespace GitOps.Operator.Tests.Integration;

/// <summary>Application and object manifests for tests.</summary>
internal static class AppYaml
{
    public static string Automated(string ns, string name, string repoUrl, string path, string destination,
        bool prune = true, bool selfHeal = true, string interval = "3m", string extraSpec = "", string extraPolicy = "", string metadataExtra = "",
        bool automated = true, string destinationExtra = "") => $$"""
        apiVersion: gitops.dev/v1alpha1
        kind: Application
        metadata:
          name: {{name}}
          namespace: {{ns}}
        {{metadataExtra}}
        spec:
          source:
            repoURL: {{repoUrl}}
            targetRevision: main
            path: {{path}}
        {{extraSpec}}
          destination:
            namespace: {{destination}}
        {{destinationExtra}}
          syncPolicy:
        {{(automated ? $"    automated: {{ prune: {(prune ? "true" : "false")}, selfHeal: {(selfHeal ? "true" : "false")} }}" : "    syncOptions: []")}}
        {{extraPolicy}}
          interval: {{interval}}
        """;

    public static string ConfigMap(string name, string data, string extraMeta = "") => $$"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{name}}
        {{extraMeta}}
        data:
          value: "{{data}}"
        """;

    public static string Deployment(string name, string image) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{name}}
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: {{name}}
          template:
            metadata:
              labels:
                app: {{name}}
            spec:
              containers:
              - name: main
                image: {{image}}
        """;

    /// <summary>
    /// A one-replica Deployment of the pause image whose pods are labelled app: <paramref name="app"/>;
    /// <paramref name="metadataExtra"/> and <paramref name="specExtra"/> are YAML lines at the indentation of metadata's and spec's fields.
    /// </summary>
    public static string PauseDeployment(string name, string app, string metadataExtra = "", string specExtra = "  replicas: 1", string image = "registry.k8s.io/pause:3.10") => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{name}}
        {{metadataExtra}}
        spec:
        {{specExtra}}
          selector:
            matchLabels: { app: {{app}} }
          template:
            metadata:
              labels: { app: {{app}} }
            spec:
              containers:
              - name: main
                image: {{image}}
        """;
}
