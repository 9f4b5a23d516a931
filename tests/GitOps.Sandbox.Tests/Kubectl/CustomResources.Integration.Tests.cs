using System.Text.RegularExpressions;
using GitOps.Sandbox.Tests.Infrastructure;
using GitOps.Testing;

namespace GitOps.Sandbox.Tests.KubectlCli;

[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CustomResourceTests(ApiTarget target)
{
    private static string Crd(string group) => $$$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.{{{group}}}}
        spec:
          group: {{{group}}}
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wdg]}
          versions:
          - name: v1
            served: true
            storage: true
            subresources:
              status: {}
              scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
            additionalPrinterColumns:
            - {name: Size, type: string, jsonPath: .spec.size}
            - {name: Replicas, type: integer, jsonPath: .spec.replicas}
            - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    required: [size]
                    properties:
                      size: {type: string, enum: [small, large]}
                      color: {type: string, default: blue}
                      replicas: {type: integer, minimum: 0}
                  status:
                    type: object
                    properties:
                      replicas: {type: integer}
        """;

    private static string Widget(string group, string name, string spec) => $"apiVersion: {group}/v1\nkind: Widget\nmetadata: {{name: {name}}}\nspec: {spec}\n";

    private async Task<(string Group, string Ns)> EstablishedCrdAsync()
    {
        var group = KubectlKit.UniqueGroup("w");
        var created = await Kubectl.OkWithInputAsync(target, Crd(group), "create", "-f", "-");
        Assert.Contains($"customresourcedefinition.apiextensions.k8s.io/widgets.{group} created", created);
        var established = await Kubectl.OkAsync(target, "wait", "--for=condition=Established", $"crd/widgets.{group}", "--timeout=30s");
        Assert.Contains("condition met", established);
        return (group, await target.NewNamespaceAsync("crd"));
    }

    [Fact]
    public async Task CreateCrd_ThenObject_ServesItWithShortNameAndColumns()
    {
        var (group, ns) = await EstablishedCrdAsync();

        var created = await Kubectl.OkWithInputAsync(target, Widget(group, "w1", "{size: small, replicas: 2}"), "create", "-n", ns, "-f", "-");
        // Discovery may lag a new CRD for a moment in kubectl's cache: retry the short name.
        var table = await Eventually.WaitAsync(async () =>
        {
            var r = await Kubectl.RunAsync(target, "get", "-n", ns, $"wdg.{group}");
            return r.ExitCode == 0 ? r.StdOut : null;
        }, what: "kubectl get by short name");

        Assert.Contains($"widget.{group}/w1 created", created);
        Assert.Matches(@"^NAME\s+SIZE\s+REPLICAS\s+AGE\s*\nw1\s+small\s+2\s+\d+s", table);
        var w = await KubectlKit.GetJsonAsync(target, ns, $"widgets.{group}/w1");
        Assert.Equal("blue", KubectlKit.Str(w["spec"]?["color"]));
        Assert.Equal(1, (long)w["metadata"]!["generation"]!);
        var resources = await Kubectl.OkAsync(target, "api-resources", $"--api-group={group}");
        Assert.Matches(@"widgets\s+wdg\s+" + Regex.Escape(group) + @"/v1\s+true\s+Widget", resources);
    }

    [Fact]
    public async Task ApplyCustomResource_UnknownField_FailsStrictDecoding()
    {
        var (group, ns) = await EstablishedCrdAsync();

        // kubectl apply validates strictly by default: the server refuses the field pruning would drop.
        var result = await Kubectl.RunWithInputAsync(target, Widget(group, "w2", "{size: large, bogus: 1}"), "apply", "-n", ns, "-f", "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error from server (BadRequest): error when creating \"STDIN\": Widget in version \"v1\" cannot be handled as a Widget: strict decoding error: unknown field \"spec.bogus\"", result.StdErr);
        Assert.False(await KubectlKit.ExistsAsync(target, ns, $"widgets.{group}/w2"));
    }

    [Fact]
    public async Task ApplyCustomResource_UnknownFieldValidateWarn_IsPrunedWithWarning()
    {
        var (group, ns) = await EstablishedCrdAsync();

        var result = await Kubectl.RunWithInputAsync(target, Widget(group, "w2", "{size: large, bogus: 1}"), "apply", "--validate=warn", "-n", ns, "-f", "-");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Warning: unknown field \"spec.bogus\"", result.StdErr);
        var w = await KubectlKit.GetJsonAsync(target, ns, $"widgets.{group}/w2");
        Assert.Null(w["spec"]?["bogus"]);
        Assert.Equal("large", KubectlKit.Str(w["spec"]?["size"]));
    }

    [Fact]
    public async Task ApplyCustomResource_SchemaViolation_ShowsValidationError()
    {
        var (group, ns) = await EstablishedCrdAsync();

        var result = await Kubectl.RunWithInputAsync(target, Widget(group, "bad", "{size: huge, replicas: -1}"), "apply", "--server-side", "-n", ns, "-f", "-");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The Widget \"bad\" is invalid", result.StdErr);
        Assert.Contains("spec.size: Unsupported value: \"huge\": supported values: \"small\", \"large\"", result.StdErr);
        Assert.Contains("spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0", result.StdErr);
        Assert.False(await KubectlKit.ExistsAsync(target, ns, $"widgets.{group}/bad"));
    }

    [Fact]
    public async Task PatchAndScaleCustomResource_MergeAndScaleSubresource_Apply()
    {
        var (group, ns) = await EstablishedCrdAsync();
        await Kubectl.OkWithInputAsync(target, Widget(group, "w3", "{size: small, replicas: 1}"), "apply", "--server-side", "-n", ns, "-f", "-");

        await Kubectl.OkAsync(target, "patch", "-n", ns, $"widgets.{group}/w3", "--type=merge", "-p", """{"spec":{"size":"large"}}""");
        var strategic = await Kubectl.RunAsync(target, "patch", "-n", ns, $"widgets.{group}/w3", "--type=strategic", "-p", """{"spec":{"size":"small"}}""");
        var scaled = await Kubectl.OkAsync(target, "scale", "-n", ns, $"widgets.{group}/w3", "--replicas=4");

        Assert.NotEqual(0, strategic.ExitCode);
        Assert.Contains("application/strategic-merge-patch+json is not supported", strategic.StdErr);
        Assert.Contains($"widget.{group}/w3 scaled", scaled);
        var w = await KubectlKit.GetJsonAsync(target, ns, $"widgets.{group}/w3");
        Assert.Equal("large", KubectlKit.Str(w["spec"]?["size"]));
        Assert.Equal(4, (int)w["spec"]!["replicas"]!);
        Assert.Equal(3, (long)w["metadata"]!["generation"]!);
    }

    [Fact]
    public async Task Explain_CustomResource_ShowsSchemaFields()
    {
        var (group, _) = await EstablishedCrdAsync();

        var output = await Eventually.WaitAsync(async () =>
        {
            var r = await Kubectl.RunAsync(target, "explain", "widgets.spec", $"--api-version={group}/v1");
            return r.ExitCode == 0 ? r.StdOut : null;
        }, what: "kubectl explain");

        Assert.Contains("KIND:       Widget", output);
        Assert.Matches(@"size\s+<string> -required-", output);
        Assert.Matches(@"color\s+<string>", output);
    }

    [Fact]
    public async Task DeleteCrd_WithObjects_RemovesObjectsAndResource()
    {
        var (group, ns) = await EstablishedCrdAsync();
        await Kubectl.OkWithInputAsync(target, Widget(group, "w4", "{size: small}"), "apply", "-n", ns, "-f", "-");

        var output = await Kubectl.OkAsync(target, "delete", $"crd/widgets.{group}", "--timeout=30s");

        Assert.Contains($"customresourcedefinition.apiextensions.k8s.io \"widgets.{group}\" deleted", output);
        var resources = await Kubectl.OkAsync(target, "api-resources", $"--api-group={group}");
        Assert.DoesNotContain("widgets", resources);
        var get = await Kubectl.RunAsync(target, "get", "-n", ns, $"widgets.{group}");
        Assert.NotEqual(0, get.ExitCode);
        Assert.Contains("the server doesn't have a resource type", get.StdErr);
        // Recreating the CRD must not resurrect the old objects.
        await Kubectl.OkWithInputAsync(target, Crd(group), "create", "-f", "-");
        await Kubectl.OkAsync(target, "wait", "--for=condition=Established", $"crd/widgets.{group}", "--timeout=30s");
        var list = await Eventually.WaitAsync(async () =>
        {
            var r = await Kubectl.RunAsync(target, "get", "-n", ns, $"widgets.{group}", "-o", "name");
            return r.ExitCode == 0 ? r.StdOut : null;
        }, what: "list after recreate");
        Assert.Equal("", list.Trim());
    }
}
