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
}
