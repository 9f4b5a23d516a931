namespace GitOps.Sandbox.Diagnostics;

public enum FaultKind { InternalError, TooManyRequests, Stall }

/// <summary>One fault rule: answer a share of matching requests with a fault.</summary>
public sealed record FaultRule(FaultKind Kind, double Share, string? Verb = null, string? Resource = null, int RetryAfterSeconds = 1);

/// <summary>
/// Fault injection for reliability tests, off by default. Selection is deterministic: with share
/// s, exactly floor(n*s) of the first n matching requests fail, so tests need no luck.
/// </summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<(FaultRule Rule, long Seen)> _rules = [];

    public void Add(FaultRule rule)
    {
        if (rule.Share is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(rule), "share must be within [0, 1]");
        lock (_gate) _rules.Add((rule, 0));
    }

    public void Clear()
    {
        lock (_gate) _rules.Clear();
    }

    /// <summary>The fault to inject for this request, if any.</summary>
    public FaultRule? Pick(string verb, string resource)
    {
        lock (_gate)
        {
            for (var i = 0; i < _rules.Count; i++)
            {
                var (rule, seen) = _rules[i];
                if ((rule.Verb is not null && rule.Verb != verb) || (rule.Resource is not null && rule.Resource != resource)) continue;
                var before = (long)Math.Floor(seen * rule.Share);
                var after = (long)Math.Floor((seen + 1) * rule.Share);
                _rules[i] = (rule, seen + 1);
                if (after > before) return rule;
            }
            return null;
        }
    }
}
