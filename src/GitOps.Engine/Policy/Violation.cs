using GitOps.Engine.Model;

namespace GitOps.Engine.Policy;

/// <summary>Whether a broken rule stops the sync or is only reported.</summary>
public enum PolicyAction
{
    Off,
    Warn,
    Block,
}

/// <summary>One rule broken by one object (or by the Application itself when <see cref="Key"/> is null).</summary>
public sealed record Violation(ResourceKey? Key, string Rule, string Message, PolicyAction Action)
{
    public bool Blocking => Action == PolicyAction.Block;

    public override string ToString() => $"{(Key is { } k ? k + ": " : "")}{Rule}: {Message}{(Blocking ? "" : " (warning)")}";
}

/// <summary>What a set of rules found: every violation, blocking ones first.</summary>
public sealed record PolicyReport(IReadOnlyList<Violation> Violations)
{
    public static PolicyReport Empty { get; } = new([]);

    public bool HasBlocking => Violations.Any(v => v.Blocking);

    public IEnumerable<Violation> Blocking => Violations.Where(v => v.Blocking);

    public IEnumerable<Violation> Warnings => Violations.Where(v => !v.Blocking);

    public PolicyReport Concat(PolicyReport other) => new([.. Violations, .. other.Violations]);

    public override string ToString() => string.Join('\n', Violations);
}
