using System.Globalization;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Tests.Replay;

/// <summary>
/// kube-apiserver lists managedFields sorted (<c>sortEncodedManagedFields</c>, apimachinery
/// <c>pkg/util/managedfields/internal/managedfields.go</c>): Apply entries before Update entries, then
/// by time in whole seconds, then by manager, apiVersion and subresource. So where entries' times fall
/// in one second their names decide, and the order of an answer depends on when its writes happened.
/// The recording ran each case within one second; a replay on a loaded machine may not: with beta's
/// last apply at :52 and alpha's re-apply at :53, kube-apiserver lists beta first as well. Times are
/// masked before comparing, so the recorded entries are first put in the order kube-apiserver would
/// give them at the replay's times: each takes the time of the answer's entry of the same manager, and
/// the recorded list is sorted as kube-apiserver sorts. The answer is compared as served, so one not
/// sorted that way still differs.
/// </summary>
internal static class ManagedFieldsOrder
{
    /// <summary>
    /// A copy of <paramref name="expected"/> whose managedFields lists (at the same places in
    /// <paramref name="actual"/>, which holds the same managers) are in kube-apiserver's order at
    /// <paramref name="actual"/>'s times. A list whose managers differ is left as recorded.
    /// </summary>
    public static JsonNode? AtTimesOf(JsonNode? expected, JsonNode? actual)
    {
        var copy = expected?.DeepClone();
        if (copy is not null && actual is not null) Walk(copy, actual);
        return copy;
    }

    private static void Walk(JsonNode expected, JsonNode actual)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var key in e.Select(p => p.Key).ToList())
                {
                    if (e[key] is not { } ev || a[key] is not { } av) continue;
                    if (key == "managedFields" && ev is JsonArray recorded && av is JsonArray served)
                    {
                        if (Sorted(recorded, served) is { } sorted) e[key] = sorted;
                    }
                    else Walk(ev, av);
                }
                return;
            case (JsonArray e, JsonArray a):
                for (var i = 0; i < Math.Min(e.Count, a.Count); i++)
                    if (e[i] is { } ev && a[i] is { } av) Walk(ev, av);
                return;
        }
    }

    private static JsonArray? Sorted(JsonArray recorded, JsonArray served)
    {
        if (recorded.Count != served.Count || recorded.Any(e => e is not JsonObject) || served.Any(e => e is not JsonObject)) return null;
        var servedSeconds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in served.Cast<JsonObject>())
            if (!servedSeconds.TryAdd(Identity(entry), Seconds(entry))) return null;
        if (recorded.Cast<JsonObject>().Any(e => !servedSeconds.ContainsKey(Identity(e)))) return null;
        return new JsonArray([
            .. recorded.Cast<JsonObject>()
                .OrderBy(e => Text(e, "operation"), StringComparer.Ordinal)
                .ThenBy(e => servedSeconds[Identity(e)])
                .ThenBy(e => Text(e, "manager"), StringComparer.Ordinal)
                .ThenBy(e => Text(e, "apiVersion"), StringComparer.Ordinal)
                .ThenBy(e => Text(e, "subresource"), StringComparer.Ordinal)
                .Select(e => e.DeepClone()),
        ]);
    }

    /// <summary>Which manager an entry is, as kube-apiserver keys them: appliers whatever their apiVersion.</summary>
    private static string Identity(JsonObject entry) =>
        string.Join('\n', Text(entry, "manager"), Text(entry, "operation"), Text(entry, "subresource"),
            Text(entry, "operation") == "Apply" ? "" : Text(entry, "apiVersion"));

    /// <summary>The entry's time in Unix seconds; 0 without one (a nil time, as the apiserver sorts it).</summary>
    private static long Seconds(JsonObject entry) =>
        entry["time"] is JsonValue v && v.TryGetValue<string>(out var t)
            && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUnixTimeSeconds()
            : 0;

    private static string Text(JsonObject entry, string key) =>
        entry[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
