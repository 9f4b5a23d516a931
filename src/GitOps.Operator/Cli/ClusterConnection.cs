using GitOps.Operator.Cluster;
using k8s;
using k8s.Exceptions;

namespace GitOps.Operator.Cli;

/// <summary>
/// Finds the cluster as kubectl does: --kubeconfig, else $KUBECONFIG (the first file that exists),
/// else ~/.kube/config, else the in-cluster service account; --context picks a context.
/// </summary>
public sealed record ClusterConnection(KubeApi Api, string? KubeconfigPath, string? Context, string DefaultNamespace, string Server)
{
    public static ClusterConnection Open(string? kubeconfig, string? context)
    {
        var path = FindKubeconfig(kubeconfig);
        KubernetesClientConfiguration config;
        if (path is not null)
        {
            if (!File.Exists(path)) throw new CliException($"the kubeconfig {path} does not exist (pass --kubeconfig FILE or set KUBECONFIG)");
            try
            {
                config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path, currentContext: context);
            }
            catch (KubeConfigException e)
            {
                throw new CliException($"cannot use the kubeconfig {path}: {e.Message}");
            }
        }
        else if (KubernetesClientConfiguration.IsInCluster()) config = KubernetesClientConfiguration.InClusterConfig();
        else throw new CliException("no cluster configured: pass --kubeconfig FILE, set KUBECONFIG, or run `gitops demo` for a local sandbox");
        var ns = string.IsNullOrEmpty(config.Namespace) ? "default" : config.Namespace;
        return new ClusterConnection(KubeApi.FromConfig(config), path, context, ns, config.Host ?? "?");
    }

    internal static string? FindKubeconfig(string? explicitPath)
    {
        if (!string.IsNullOrEmpty(explicitPath)) return explicitPath;
        var env = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(env))
        {
            var files = env.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
            return files.FirstOrDefault(File.Exists) ?? files.FirstOrDefault();
        }
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        return File.Exists(home) ? home : null;
    }
}
