using System.Collections.Concurrent;
using System.Text;

namespace GitOps.Sandbox.Diagnostics;

/// <summary>Requests served, by verb, resource and status code: for tests and the benchmark.</summary>
public sealed class RequestCounters
{
    private readonly ConcurrentDictionary<(string Verb, string Resource, int Code), long> _counts = new();

    public void Record(string verb, string resource, int code) =>
        _counts.AddOrUpdate((verb, resource, code), 1, (_, n) => n + 1);

    /// <summary>The count for a verb (and optionally a resource and code); null matches any.</summary>
    public long Count(string? verb = null, string? resource = null, int? code = null) =>
        _counts.Where(kv => (verb is null || kv.Key.Verb == verb) && (resource is null || kv.Key.Resource == resource) && (code is null || kv.Key.Code == code))
               .Sum(kv => kv.Value);

    public IReadOnlyDictionary<(string Verb, string Resource, int Code), long> Snapshot() => new Dictionary<(string, string, int), long>(_counts);

    private readonly ConcurrentDictionary<string, long> _impersonated = new(StringComparer.Ordinal);

    /// <summary>Counts a request made with Impersonate-User (the sandbox does not authorise; tests see who asked).</summary>
    public void RecordImpersonation(string user) => _impersonated.AddOrUpdate(user, 1, (_, n) => n + 1);

    public long ImpersonatedAs(string user) => _impersonated.GetValueOrDefault(user);

    private const int WritesKept = 10_000;
    private readonly ConcurrentQueue<AuditedWrite> _writes = new();

    /// <summary>Keeps an admitted write and who made it (the newest <see cref="WritesKept"/>): tests ask who wrote an object.</summary>
    public void RecordWrite(AuditedWrite write)
    {
        _writes.Enqueue(write);
        while (_writes.Count > WritesKept) _writes.TryDequeue(out _);
    }

    /// <summary>The admitted writes kept, oldest first.</summary>
    public IReadOnlyList<AuditedWrite> Writes() => [.. _writes];

    public void Reset()
    {
        _counts.Clear();
        _impersonated.Clear();
        _writes.Clear();
    }

    /// <summary>Prometheus text exposition of the counters.</summary>
    public string ToPrometheusText()
    {
        var sb = new StringBuilder();
        sb.Append("# HELP sandbox_requests_total Requests served by the sandbox API server.\n");
        sb.Append("# TYPE sandbox_requests_total counter\n");
        foreach (var ((verb, resource, code), n) in _counts.OrderBy(kv => kv.Key.Verb, StringComparer.Ordinal).ThenBy(kv => kv.Key.Resource, StringComparer.Ordinal).ThenBy(kv => kv.Key.Code))
            sb.Append($"sandbox_requests_total{{verb=\"{verb}\",resource=\"{resource}\",code=\"{code}\"}} {n}\n");
        return sb.ToString();
    }
}
