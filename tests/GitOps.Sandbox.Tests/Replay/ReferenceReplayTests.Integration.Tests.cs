using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GitOps.Sandbox.Tests.Admission;
using GitOps.Sandbox.Tests.Infrastructure;
using GitOps.Testing;

namespace GitOps.Sandbox.Tests.Replay;

/// <summary>
/// Replays every request kube-apiserver v1.26 answered in src/GitOps.Sandbox/Reference against the
/// target (the sandbox, or a real cluster) and compares the masked answers. A difference fails the
/// case unless <see cref="KnownDifferences"/> lists it with its reason (and the sandbox README does).
/// The suite has a target of its own (<see cref="ReplayCollection"/>), and each case starts once the
/// sandbox's controllers are idle, so that resourceVersions rank as they did in the recording.
/// </summary>
[Collection(ReplayCollection.Name)]
[Trait("Category", "Integration")]
[TestCaseOrderer(RecordedOrderer.TypeName, RecordedOrderer.AssemblyName)]
public sealed class ReferenceReplayTests(ApiTarget target)
{
    /// <summary>A difference allowed on purpose: case, then "step N/json/path" (or "event N/...") prefix.</summary>
    internal sealed record KnownDifference(string Case, string PathPrefix, string Reason);

    private const string TrackedAfterAdmission =
        "managedFields: the sandbox records ownership after its defaulting and admission step, so fields the server sets " +
        "itself there (ServiceAccount/priority/toleration admission of Pods, a Job's selector, labels and tracking annotation) " +
        "are owned by the creating manager; kube-apiserver tracks before its create strategy and admission plugins.";
    private const string Controllers =
        "Simulated workload controllers write Deployment status (and so resourceVersions, and status fields other managers " +
        "owned in the recording); the recording's bare kube-apiserver had no controller-manager. Their own " +
        "kube-controller-manager entries are left out before comparing (see WithoutControllerManager).";
    private const string PatchTypes = "A merge patch's result is not type-checked against the Go struct: `data: 5` on a ConfigMap is stored instead of 422.";
    private const string JsonErrors = "JSON syntax error text comes from System.Text.Json, not Go's encoding/json.";
    private const string SelfSubjectReview =
        "SelfSubjectReview is served at authentication.k8s.io/v1 (GA in 1.28, what kubectl auth whoami asks for first); 1.26 served it at v1alpha1 behind a feature gate.";

    internal static readonly KnownDifference[] KnownDifferences =
    [
        .. new[] { "Job", "Pod" }
            .Select(k => new KnownDifference("defaults/" + k, "step 0/metadata/managedFields", TrackedAfterAdmission)),
        .. new[] { "scenarios/generation-rules", "scenarios/strategic-merge-patch", "scenarios/ssa-deployment-list-merge-keys", "scenarios/delete-finalizers-and-options", "scenarios/ssa-replicas-owned-by-another" }
            .SelectMany(c => new KnownDifference[]
            {
                new(c, "step */status", Controllers),
                new(c, "step */metadata/resourceVersion", Controllers),
            }),
        new("scenarios/generation-rules", "step */metadata/managedFields", Controllers),
        new("scenarios/ssa-replicas-owned-by-another", "step */metadata/managedFields", Controllers),
        new("scenarios/errors", "step 7/message", JsonErrors),
        new("scenarios/errors", "step 11/", PatchTypes),
        new("scenarios/list-and-paging", "step 4/items/1/", PatchTypes),
        new("scenarios/list-and-paging", "step 6/items/1/", PatchTypes),
        new("discovery/apis/authentication.k8s.io/v1", "/resources", SelfSubjectReview),
    ];

    public static TheoryData<string, string> Recorded_TestData()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in ReferenceRecordings.Cases) data.Add(c.Name, c.File);
        return data;
    }

    public static TheoryData<string, string> Discovery_TestData()
    {
        var data = new TheoryData<string, string>();
        foreach (var (file, path) in ReferenceRecordings.DiscoveryDocuments()) data.Add(path, file);
        return data;
    }

    [Theory]
    [MemberData(nameof(Recorded_TestData))]
    public async Task Replay_RecordedCase_MatchesKubeApiserver(string caseName, string file)
    {
        using var client = new ReplayClient(target);
        await client.PrepareAsync(target);
        // A workload an earlier case created turns ready WorkloadReadyDelay later: that write must not
        // land between this case's steps (it would shift the resourceVersion of a later list).
        if (target.Sandbox is { } sandbox) Assert.True(await sandbox.WaitForControllersIdleAsync(), "the sandbox's controllers did not settle");
        var recorded = ReferenceRecordings.Case(caseName);
        Assert.Equal(file, recorded.File);
        var diffs = caseName switch
        {
            "scenarios/watch-label-selected" => await WatchLabelSelectedAsync(client, recorded.Document),
            "scenarios/watch-too-old" => await WatchTooOldAsync(client, recorded.Document),
            _ => await ReplayStepsAsync(client, recorded.Steps!),
        };
        AssertOnlyKnown(caseName, diffs);
    }

    [Theory]
    [MemberData(nameof(Discovery_TestData))]
    public async Task Discovery_RecordedDocument_MatchesKubeApiserver(string caseName, string file)
    {
        using var client = new ReplayClient(target);
        var (code, body) = await client.SendAsync("GET", caseName);
        var expected = ReferenceFiles.Load(file);
        var diffs = code == 200 ? ReferenceFiles.Diff(MaskDiscovery(expected), MaskDiscovery(body)) : [$"code: expected 200, got {code}"];
        AssertOnlyKnown("discovery" + caseName, diffs.Select(d => d.StartsWith('/') || d.StartsWith("code", StringComparison.Ordinal) ? d : "/" + d).ToList());
    }

    private static async Task<List<string>> ReplayStepsAsync(ReplayClient client, JsonArray steps) =>
        CompareSteps(steps, await SendStepsAsync(client, steps));

    /// <summary>
    /// Sends the recorded requests in order and returns the answers (the controller-manager's entries
    /// taken out, see <see cref="WithoutControllerManager"/>). <paramref name="beforeStep"/>, if given,
    /// runs before each request is sent, with its step index.
    /// </summary>
    internal static async Task<List<(int Code, JsonNode? Body)>> SendStepsAsync(ReplayClient client, JsonArray steps, Func<int, Task>? beforeStep = null)
    {
        var actual = new List<(int Code, JsonNode? Body)>();
        for (var i = 0; i < steps.Count; i++)
        {
            if (beforeStep is not null) await beforeStep(i);
            var step = steps[i]!;
            var request = step["request"]!.AsObject();
            var (method, path) = (request["method"]!.GetValue<string>(), request["path"]!.GetValue<string>());
            var expectedBody = step["response"]!["body"];
            (int Code, JsonNode? Body) Comparable((int Code, JsonNode? Body) answer) =>
                WithoutClusterConfigMaps(WithoutControllerManager(answer, expectedBody), client.ClusterConfigMapsInReference);
            var result = Comparable(await client.SendAsync(method, path, ReferenceRecordings.Content(request)));
            // The recording's client read after the server's own controllers settled (a CRD
            // Established, say): a read is retried briefly until it shows the recorded state.
            if (method == "GET" && !Settled(step["response"]!, result))
                await Eventually.TryAsync(async () => Settled(step["response"]!, result = Comparable(await client.SendAsync(method, path))),
                    TimeSpan.FromSeconds(3));
            actual.Add(result);
        }
        return actual;
    }

    /// <summary>
    /// The differences of the masked answers from the recorded ones, each as "step N/json/path: ...". The
    /// recorded managedFields entries are first put in kube-apiserver's order at the answer's times
    /// (<see cref="ManagedFieldsOrder"/>): the recording's writes all fell in one second, a replay's may not.
    /// </summary>
    internal static List<string> CompareSteps(JsonArray steps, List<(int Code, JsonNode? Body)> actual)
    {
        var expected = steps.Select((s, i) => ManagedFieldsOrder.AtTimesOf(s!["response"]!["body"], actual[i].Body)).ToList();
        var (expectedMasker, actualMasker) = (new ResponseMasker(), new ResponseMasker());
        for (var i = 0; i < steps.Count; i++)
        {
            expectedMasker.Collect(expected[i]);
            actualMasker.Collect(actual[i].Body);
        }
        var diffs = new List<string>();
        for (var i = 0; i < steps.Count; i++)
        {
            var code = steps[i]!["response"]!["code"]!.GetValue<int>();
            if (code != actual[i].Code) diffs.Add($"step {i}/code: expected {code}, got {actual[i].Code}");
            diffs.AddRange(ReferenceFiles.Diff(expectedMasker.Mask(expected[i]), actualMasker.Mask(actual[i].Body), $"step {i}"));
        }
        return diffs;
    }

    internal const string ControllerManager = "kube-controller-manager";

    internal const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    /// <summary>
    /// The recording's bare kube-apiserver ran no controller-manager, so no answer of it has a
    /// <c>kube-controller-manager</c> managedFields entry; the sandbox's simulated workload controllers
    /// add one for the status they write (with, for a Deployment, its revision annotation, which the
    /// deployment controller writes through the status subresource too). Where the recorded answer has
    /// no such entry, the controller-manager's status entries and the revision annotation (with the
    /// annotations map it alone made) are taken out of the actual answer (in the object and in list
    /// items alike) before comparing; every other manager's entry is compared as it is.
    /// </summary>
    internal static (int Code, JsonNode? Body) WithoutControllerManager((int Code, JsonNode? Body) actual, JsonNode? expected)
    {
        if (actual.Body is null || expected?.ToJsonString().Contains($"\"{ControllerManager}\"", StringComparison.Ordinal) == true) return actual;
        var body = actual.Body.DeepClone();
        Strip(body);
        return (actual.Code, body);

        static void Strip(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o["managedFields"] is JsonArray entries)
                        foreach (var entry in entries.OfType<JsonObject>()
                                     .Where(e => (string?)e["manager"] == ControllerManager && (string?)e["subresource"] == "status").ToList())
                            entries.Remove(entry);
                    if (o["annotations"] is JsonObject annotations && annotations.Remove(RevisionAnnotation) && annotations.Count == 0)
                        o.Remove("annotations");
                    foreach (var (_, v) in o) Strip(v);
                    return;
                case JsonArray a:
                    foreach (var v in a) Strip(v);
                    return;
            }
        }
    }

    /// <summary>
    /// The recording's bare kube-apiserver ran no controller-manager; a real cluster's controllers put
    /// ConfigMaps of their own (<paramref name="theirs"/>) into namespace reference as soon as it is
    /// made. They are taken out of the items of a ConfigMap list, and out of its remainingItemCount
    /// where they come after the page (a list of one namespace is in name order).
    /// </summary>
    internal static (int Code, JsonNode? Body) WithoutClusterConfigMaps((int Code, JsonNode? Body) actual, IReadOnlySet<string> theirs)
    {
        if (theirs.Count == 0 || (string?)actual.Body?["kind"] != "ConfigMapList" || actual.Body["items"] is not JsonArray { Count: > 0 } items) return actual;
        static string Text(JsonNode? item, string field) => (string?)item?["metadata"]?[field] ?? "";
        bool IsTheirs(JsonNode? item) => Text(item, "namespace") == ReferenceRecordings.Namespace && theirs.Contains(Text(item, "name"));
        var body = actual.Body.DeepClone();
        var last = items[^1];
        var page = body["items"]!.AsArray();
        foreach (var item in page.Where(IsTheirs).ToList()) page.Remove(item);
        if (body["metadata"]?["remainingItemCount"] is JsonValue remaining && Text(last, "namespace") == ReferenceRecordings.Namespace)
            body["metadata"]!["remainingItemCount"] = remaining.GetValue<long>() - theirs.Count(name => string.CompareOrdinal(name, Text(last, "name")) > 0);
        return (actual.Code, body);
    }

    private static bool Settled(JsonNode response, (int Code, JsonNode? Body) actual)
    {
        if (response["code"]!.GetValue<int>() != actual.Code) return false;
        var expected = ManagedFieldsOrder.AtTimesOf(response["body"], actual.Body);
        var (e, a) = (new ResponseMasker(), new ResponseMasker());
        e.Collect(expected);
        a.Collect(actual.Body);
        return ReferenceFiles.Diff(e.Mask(expected), a.Mask(actual.Body)).All(d => d.Contains("resourceVersion", StringComparison.Ordinal));
    }

    /// <summary>
    /// The recorded label-selected watch: list for a resourceVersion, watch from it, then create,
    /// update, relabel out of the selector, create, delete, and read the stream to its timeout.
    /// </summary>
    private static async Task<List<string>> WatchLabelSelectedAsync(ReplayClient client, JsonObject recording)
    {
        var path = recording["request"]!["path"]!.GetValue<string>();
        var collection = path[..path.IndexOf('?')];
        var (listCode, list) = await client.SendAsync("GET", collection + "?labelSelector=watched%3Dyes");
        Assert.Equal(200, listCode);
        var watchPath = Regex.Replace(path, @"resourceVersion=\d+", "resourceVersion=" + list!["metadata"]!["resourceVersion"]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (code, lines) = await client.WatchAsync(watchPath, cts.Token);

        static JsonObject ConfigMap(string name, string x) => new()
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["watched"] = "yes" } },
            ["data"] = new JsonObject { ["x"] = x },
        };
        const string merge = "application/merge-patch+json";
        var actions = new List<(int Code, JsonNode? Body)>
        {
            await client.SendAsync("POST", collection, ReplayClient.Json(ConfigMap("w1", "1"))),
            await client.SendAsync("PATCH", collection + "/w1", ReplayClient.Json(new JsonObject { ["data"] = new JsonObject { ["x"] = "2" } }, merge)),
            await client.SendAsync("PATCH", collection + "/w1", ReplayClient.Json(new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["watched"] = "no" } } }, merge)),
            await client.SendAsync("POST", collection, ReplayClient.Json(ConfigMap("w2", "1"))),
            await client.SendAsync("DELETE", collection + "/w2"),
        };
        Assert.All(actions, a => Assert.True(a.Code is 200 or 201, a.Body?.ToJsonString()));

        var diffs = new List<string>();
        if (code != 200) diffs.Add($"code: expected 200, got {code}");
        var events = new JsonArray([.. (await lines).Select(l => JsonNode.Parse(l))]);
        var expected = recording["events"]!.AsArray();
        var (expectedMasker, actualMasker) = (new ResponseMasker(), new ResponseMasker());
        expectedMasker.Collect(expected);
        actualMasker.Collect(events);
        // Bookmarks come on the server's clock (one 2s before the deadline), so where they fall among
        // the events depends on timing: events are compared in order, bookmarks by their shape.
        static (JsonArray Events, List<JsonNode> Bookmarks) Split(JsonNode? masked)
        {
            var all = masked!.AsArray().Select(e => e!.DeepClone()).ToList();
            var bookmarks = all.Where(e => e["type"]?.GetValue<string>() == "BOOKMARK").ToList();
            foreach (var b in bookmarks) b["object"]!["metadata"]!.AsObject().Remove("resourceVersion");
            return (new JsonArray([.. all.Where(e => e["type"]?.GetValue<string>() != "BOOKMARK")]), bookmarks);
        }
        var (expectedEvents, expectedBookmarks) = Split(expectedMasker.Mask(expected));
        var (actualEvents, actualBookmarks) = Split(actualMasker.Mask(events));
        diffs.AddRange(ReferenceFiles.Diff(expectedEvents, actualEvents, "events"));
        if (expectedBookmarks.Count > 0 && actualBookmarks.Count == 0) diffs.Add("bookmarks: expected a BOOKMARK before the stream ended, got none");
        foreach (var b in actualBookmarks.Take(expectedBookmarks.Count > 0 ? 1 : 0))
            diffs.AddRange(ReferenceFiles.Diff(expectedBookmarks[0], b, "bookmarks/0"));
        return diffs;
    }

    /// <summary>
    /// A watch from resourceVersion=1. The recording's server still had that version (a fresh etcd)
    /// and replayed the namespace's history from it; a server that compacted it answers one ERROR
    /// event with a 410 Expired Status instead. Both are kube-apiserver's answers; the recorded body
    /// is a prefix of the stream, so the first event's identity is compared.
    /// </summary>
    private static async Task<List<string>> WatchTooOldAsync(ReplayClient client, JsonObject recording)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (code, lines) = await client.WatchAsync(recording["request"]!["path"]!.GetValue<string>(), cts.Token);
        var stream = await lines;
        var diffs = new List<string>();
        var expectedCode = recording["response"]!["code"]!.GetValue<int>();
        if (code != expectedCode) diffs.Add($"code: expected {expectedCode}, got {code}");
        if (stream.Count == 0) return [.. diffs, "stream: expected events, got none"];
        var first = JsonNode.Parse(stream[0])!;
        if (first["type"]?.GetValue<string>() == "ERROR")
        {
            var status = first["object"]!;
            if (status["code"]?.GetValue<int>() != 410 || status["reason"]?.GetValue<string>() != "Expired")
                diffs.Add($"stream/0: expected an ERROR with a 410 Expired Status, got {stream[0]}");
            return diffs;
        }
        var raw = recording["response"]!["body"]!["_raw"]!.GetValue<string>();
        string? Field(string name) => Regex.Match(raw, $"\"{name}\":\"([^\"]*)\"") is { Success: true } m ? m.Groups[1].Value : null;
        var meta = first["object"]?["metadata"];
        foreach (var (name, value) in new[]
        {
            ("type", first["type"]), ("kind", first["object"]?["kind"]), ("apiVersion", first["object"]?["apiVersion"]),
            ("name", meta?["name"]), ("namespace", meta?["namespace"]),
        })
            if (Field(name) != value?.ToString()) diffs.Add($"stream/0/{name}: expected {Field(name)}, got {value}");
        return diffs;
    }

    private static JsonNode? MaskDiscovery(JsonNode? doc)
    {
        var copy = doc?.DeepClone();
        if (copy?["serverAddressByClientCIDRs"] is JsonArray cidrs)
            foreach (var c in cidrs.OfType<JsonObject>()) c["serverAddress"] = "<address>";
        return copy;
    }

    internal static void AssertOnlyKnown(string caseName, List<string> diffs)
    {
        var unexpected = Unexpected(caseName, diffs);
        Assert.True(unexpected.Count == 0, $"{caseName}: {unexpected.Count} difference(s) from kube-apiserver not listed in KnownDifferences:\n" + string.Join("\n", unexpected));
    }

    /// <summary>The differences <see cref="KnownDifferences"/> does not list for <paramref name="caseName"/>.</summary>
    internal static List<string> Unexpected(string caseName, List<string> diffs)
    {
        var known = KnownDifferences.Where(k => k.Case == caseName)
            .Select(k => new Regex("^" + Regex.Escape(k.PathPrefix).Replace(@"\*", @"\d+", StringComparison.Ordinal))).ToList();
        return diffs.Where(d => !known.Any(k => k.IsMatch(d))).ToList();
    }
}
