using System.Net;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Tests.Admission;
using GitOps.Sandbox.Tests.Infrastructure;
using GitOps.Testing;
using k8s;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>
/// The managedFields of a CustomResourceDefinition and its custom resources through the recorded
/// CRD life (src/GitOps.Sandbox/Reference/scenarios/crd-lifecycle.json, replayed with a group and
/// namespace of its own): who owns what after the create (spec.names, which exists as a Go struct
/// before the create, without a "." member), after apiextensions-apiserver established it (its
/// kube-apiserver status entry: conditions and accepted names, no "." for conditions that were
/// null), and for custom resources (no empty f:metadata), compared entry by entry.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CrdManagedFieldsTests(ApiTarget target)
{
    private const string Recording = "scenarios/crd-lifecycle.json";
    private const string RecordedGroup = "reference.example.com";
    private const string DefaultManager = "Python-urllib";

    private Kubernetes Client => target.Client;

    public static TheoryData<string, int> RecordedStep_TestData() => new()
    {
        { "CRD created", 0 },
        { "CRD established", 1 },
        { "custom resource created", 3 },
        { "custom resource status written", 5 },
        { "custom resource patched", 6 },
        { "custom resource applied", 7 },
        { "custom resource applied with force by another manager", 9 },
        { "CRD deleted", 11 },
    };

    [Theory]
    [MemberData(nameof(RecordedStep_TestData))]
    public async Task ReplayCrdLifecycle_UpToStep_ManagedFieldsAsRecorded(string caseName, int last)
    {
        var steps = ReferenceFiles.Steps(Recording).ToList();
        var group = $"m{Guid.NewGuid():N}"[..12] + ".example.com";
        var ns = await target.NewNamespaceAsync("crdmf");
        string Rewrite(string text) => text.Replace(RecordedGroup, group, StringComparison.Ordinal)
            .Replace("/namespaces/reference/", $"/namespaces/{ns}/", StringComparison.Ordinal)
            .Replace("\"reference\"", $"\"{ns}\"", StringComparison.Ordinal);

        JsonNode? answer = null;
        try
        {
            for (var i = 0; i <= last; i++)
            {
                var request = steps[i]["request"]!;
                var (method, path) = ((string)request["method"]!, Rewrite((string)request["path"]!));
                if (!path.Contains("fieldManager=", StringComparison.Ordinal)) path += (path.Contains('?') ? "&" : "?") + "fieldManager=" + DefaultManager;
                var body = request["body"] is { } b ? Rewrite(b.ToJsonString()) : null;
                var contentType = (string?)request["contentType"] ?? "application/json";
                var expectedCode = (int)steps[i]["response"]!["code"]!;
                answer = await SendAsync(caseName, i, new HttpMethod(method), path.TrimStart('/'), body, contentType, expectedCode,
                    // The recording read the CRD once apiextensions-apiserver had established it.
                    established: i == 1);
            }

            // Entries in kube-apiserver's order at the answer's times (by the second, then by name), not the recording's.
            var expected = Entries(Replay.ManagedFieldsOrder.AtTimesOf(JsonNode.Parse(Rewrite(steps[last]["response"]!["body"]!.ToJsonString())), answer));
            var diffs = ReferenceFiles.Diff(expected, Entries(answer), "managedFields");
            Assert.True(diffs.Count == 0, $"{caseName} (step {last}):\n{string.Join("\n", diffs)}");
        }
        finally
        {
            await Conform.RawAsync(Client, HttpMethod.Delete, $"apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.{group}");
        }
    }

    private async Task<JsonNode?> SendAsync(string caseName, int step, HttpMethod method, string path, string? body, string contentType, int expectedCode, bool established)
    {
        (HttpStatusCode Code, string Text) last = (0, "");
        // A new CRD's resource is served a moment after the create, and established a moment later, as on a real server.
        await Eventually.WaitAsync(async () =>
        {
            var (code, text, _) = await Conform.RawAsync(Client, method, path, body, contentType);
            last = (code, text);
            if ((int)code != expectedCode) return !(code == HttpStatusCode.NotFound || established);
            return !established || JsonNode.Parse(text)?["status"]?["conditions"] is JsonArray conditions
                && conditions.Any(c => (string?)c?["type"] == "Established" && (string?)c?["status"] == "True");
        }, TimeSpan.FromSeconds(30), $"{caseName}: step {step} {method} {path}");
        Assert.True((int)last.Code == expectedCode, $"{caseName}: step {step} {method} {path}: expected {expectedCode}, got {(int)last.Code} {last.Text}");
        return JsonNode.Parse(last.Text);
    }

    /// <summary>The managedFields entries without their times: manager, operation, apiVersion, subresource, fieldsV1.</summary>
    private static JsonArray Entries(JsonNode? obj) => new([.. (obj?["metadata"]?["managedFields"] as JsonArray ?? []).Select(e =>
    {
        var entry = e!.DeepClone().AsObject();
        entry.Remove("time");
        return (JsonNode)entry;
    })]);
}
