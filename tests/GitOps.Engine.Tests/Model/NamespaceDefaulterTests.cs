using GitOps.Engine.Model;

namespace GitOps.Engine.Tests.Model;

public class NamespaceDefaulterTests
{
    private const string Crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {kind: Widget, plural: widgets}
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: clusterwidgets.example.com}
        spec:
          group: example.com
          scope: Cluster
          names: {kind: ClusterWidget, plural: clusterwidgets}
        """;

    private static bool? Discovery(GroupKind gk) => gk.Kind switch
    {
        "ConfigMap" or "Deployment" => true,
        "Namespace" or "ClusterRole" or "CustomResourceDefinition" => false,
        _ => null,
    };

    public static TheoryData<string, string, string[], string[]> Apply_TestData() => new()
    {
        { "namespaced kind without namespace gets the default", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}", ["ConfigMap/dest/a"], [] },
        { "namespaced kind keeps its namespace", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: other}", ["ConfigMap/other/a"], [] },
        { "cluster-scoped kind loses a namespace", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r, namespace: dest}", ["ClusterRole/r"], [] },
        { "CRD in the set makes its kind namespaced", Crd + "\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}", ["CustomResourceDefinition/widgets.example.com", "CustomResourceDefinition/clusterwidgets.example.com", "Widget/dest/w"], [] },
        { "CRD in the set makes its kind cluster-scoped", Crd + "\n---\napiVersion: example.com/v1\nkind: ClusterWidget\nmetadata: {name: w, namespace: x}", ["CustomResourceDefinition/widgets.example.com", "CustomResourceDefinition/clusterwidgets.example.com", "ClusterWidget/w"], [] },
        { "unknown kind is an error", "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}", ["Gadget/g"], ["Gadget/g: UnknownKind"] },
    };

    [Theory]
    [MemberData(nameof(Apply_TestData))]
    public void Apply_Manifests_DefaultsNamespace(string caseName, string yaml, string[] expectedKeys, string[] expectedErrors)
    {
        var input = ManifestReader.Read(yaml, "x.yaml");

        var result = NamespaceDefaulter.Apply(input, "dest", Discovery);

        Assert.True(expectedKeys.SequenceEqual(result.Manifests.Select(m => m.Key.ToString())), $"{caseName}: {result}");
        Assert.Equal(expectedErrors.Length, result.Errors.Count);
        for (var i = 0; i < expectedErrors.Length; i++) Assert.StartsWith(expectedErrors[i], result.Errors[i].ToString(), StringComparison.Ordinal);
    }
}
