using System.Text.Json.Nodes;
using GitOps.Operator.Applications;
using GitOps.Operator.Render;
using GitOps.Testing;

namespace GitOps.Operator.Tests.Render;

/// <summary>A scratch repository of overlays and a chart, plus a directory outside it, for renderer tests.</summary>
internal sealed class RenderRepo : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("gitops-render-repo-").FullName;
    public string Outside { get; } = Directory.CreateTempSubdirectory("gitops-render-outside-").FullName;
    public string Work { get; } = Directory.CreateTempSubdirectory("gitops-render-work-").FullName;

    public RenderRepo()
    {
        File.WriteAllText(Path.Combine(Outside, "secret.yaml"), "apiVersion: v1\nkind: Secret\nmetadata:\n  name: stolen\n");
        foreach (var (path, text) in Samples.Overlays) Write(path, text);
        foreach (var (path, text) in Samples.Chart("charts/web")) Write(path, text);
    }

    public void Write(string relative, string text)
    {
        var full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    public RenderToolOptions Options(TimeSpan? timeout = null, long? maxOutput = null, string? kubectl = null, string? helm = null) => RenderToolOptions.Default with
    {
        KubectlPath = kubectl ?? ToolPaths.Kubectl,
        HelmPath = helm ?? ToolPaths.Helm,
        WorkDirectory = Work,
        Timeout = timeout ?? TimeSpan.FromSeconds(60),
        MaxOutputBytes = maxOutput ?? RenderToolOptions.Default.MaxOutputBytes,
    };

    public RenderRequest Request(string path, JsonObject? kustomize = null, JsonObject? helm = null) =>
        new(Root, path, new SourceSpecModel { Path = path, Kustomize = kustomize, Helm = helm }, "dest", RenderLimits.Default);

    public string Script(string name, string body)
    {
        var path = Path.Combine(Work, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public void Dispose()
    {
        foreach (var d in new[] { Root, Outside, Work })
        {
            try { Directory.Delete(d, recursive: true); }
            catch (IOException) { }
        }
    }
}

/// <summary>The sample config repository: apps/web base + dev/prod overlays, and a chart with per-env values.</summary>
internal static class Samples
{
    public static (string Path, string Text)[] Overlays =>
    [
        ("apps/web/base/kustomization.yaml", """
            resources:
              - deployment.yaml
            configMapGenerator:
              - name: web-config
                literals:
                  - GREETING=hello
            """),
        ("apps/web/base/deployment.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 1
              selector:
                matchLabels: { app: web }
              template:
                metadata:
                  labels: { app: web }
                spec:
                  containers:
                    - name: web
                      image: nginx:1.25
                      envFrom:
                        - configMapRef: { name: web-config }
            """),
        ("apps/web/overlays/dev/kustomization.yaml", """
            resources:
              - ../../base
            namePrefix: dev-
            images:
              - name: nginx
                newTag: "1.26"
            replicas:
              - name: web
                count: 2
            """),
        ("apps/web/overlays/prod/kustomization.yaml", """
            resources:
              - ../../base
            namePrefix: prod-
            images:
              - name: nginx
                newTag: "1.27"
            replicas:
              - name: web
                count: 5
            """),
    ];

    public static (string Path, string Text)[] Chart(string dir, string version = "0.1.0", string greeting = "hello") =>
    [
        ($"{dir}/Chart.yaml", $"apiVersion: v2\nname: web\nversion: {version}\n"),
        ($"{dir}/values.yaml", "replicas: 1\ngreeting: default\nenv: none\n"),
        ($"{dir}/values-dev.yaml", "replicas: 2\nenv: dev\n"),
        ($"{dir}/values-prod.yaml", "replicas: 4\nenv: prod\n"),
        ($"{dir}/templates/configmap.yaml", $$$"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ .Release.Name }}-settings
            data:
              env: {{ .Values.env | quote }}
              greeting: {{ .Values.greeting | quote }}
              replicas: {{ .Values.replicas | quote }}
              chartVersion: {{ .Chart.Version | quote }}
              built: "{{{greeting}}}"
            """),
    ];
}
