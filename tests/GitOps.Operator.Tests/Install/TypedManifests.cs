using GitOps.Engine.Model;
using k8s;
using k8s.Models;

namespace GitOps.Operator.Tests.Install;

/// <summary>Rendered chart YAML as KubernetesClient's typed objects (the kinds the chart tests read; others stay untyped manifests).</summary>
internal static class TypedManifests
{
    public static IReadOnlyList<object> LoadAll(string yaml) =>
        ManifestReader.Read(yaml, "rendered chart").Select(m => (object)(m.Kind switch
        {
            "Deployment" => KubernetesJson.Deserialize<V1Deployment>(m.ToJson()),
            "StatefulSet" => KubernetesJson.Deserialize<V1StatefulSet>(m.ToJson()),
            "Service" => KubernetesJson.Deserialize<V1Service>(m.ToJson()),
            "ClusterRole" => KubernetesJson.Deserialize<V1ClusterRole>(m.ToJson()),
            "Role" => KubernetesJson.Deserialize<V1Role>(m.ToJson()),
            "PodDisruptionBudget" => KubernetesJson.Deserialize<V1PodDisruptionBudget>(m.ToJson()),
            _ => m,
        })).ToList();
}
