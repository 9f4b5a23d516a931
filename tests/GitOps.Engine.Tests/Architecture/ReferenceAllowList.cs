namespace GitOps.Engine.Tests.Architecture;

/// <summary>A reference that breaks the allow-list, and why.</summary>
internal sealed record Offender(string Reference, string Reason)
{
    public override string ToString() => $"{Reference}: {Reason}";
}

/// <summary>
/// What an assembly may reference: a whole assembly, a namespace or a type of one, or only some
/// members of a type; and, inside what is allowed, types and members that stay forbidden. Anything
/// else is an offender, so a new dependency fails until someone allows it in one line and says why.
/// Type rules apply to nested types through their outermost type.
/// </summary>
internal sealed class ReferenceAllowList
{
    private const string NotAllowed = "not on the allow-list";

    private readonly HashSet<string> _allowedAssemblies = [];
    private readonly HashSet<string> _wholeAssemblies = [];
    private readonly HashSet<(string Assembly, string Namespace)> _namespaces = [];
    private readonly HashSet<(string Assembly, string Type)> _types = [];
    private readonly Dictionary<(string Assembly, string Type), HashSet<string>> _onlyMembers = [];
    private readonly Dictionary<string, string> _forbiddenTypes = [];
    private readonly Dictionary<(string Type, string Member), string> _forbiddenMembers = [];

    public ReferenceAllowList AllowAssembly(string assembly)
    {
        _allowedAssemblies.Add(assembly);
        _wholeAssemblies.Add(assembly);
        return this;
    }

    public ReferenceAllowList AllowNamespace(string assembly, string @namespace)
    {
        _allowedAssemblies.Add(assembly);
        _namespaces.Add((assembly, @namespace));
        return this;
    }

    public ReferenceAllowList AllowTypes(string assembly, params string[] types)
    {
        _allowedAssemblies.Add(assembly);
        _types.UnionWith(types.Select(t => (assembly, t)));
        return this;
    }

    public ReferenceAllowList AllowOnlyMembers(string assembly, string type, params string[] members)
    {
        _allowedAssemblies.Add(assembly);
        _onlyMembers[(assembly, type)] = [.. members];
        return this;
    }

    public ReferenceAllowList ForbidType(string type, string reason)
    {
        _forbiddenTypes[type] = reason;
        return this;
    }

    public ReferenceAllowList ForbidMembers(string type, string reason, params string[] members)
    {
        foreach (var member in members)
            _forbiddenMembers[(type, member)] = reason;
        return this;
    }

    /// <summary>Every offending reference once; a member of an offending type is not listed again.</summary>
    public IReadOnlyList<Offender> Offenders(ExternalReferences references)
    {
        IEnumerable<Offender> offenders =
        [
            .. references.NativeLibraries.Select(library => new Offender($"native library {library}", "P/Invoke reaches outside the runtime")),
            .. references.Assemblies.Where(a => !_allowedAssemblies.Contains(a)).Select(a => new Offender($"assembly {a}", NotAllowed)),
            .. references.Types.Select(t => TypeVerdict(t) is { } reason ? new Offender(t.FullName, reason) : null).OfType<Offender>(),
            .. references.Members.Where(m => TypeVerdict(m.Type) is null)
                .Select(m => MemberVerdict(m) is { } reason ? new Offender(m.ToString(), reason) : null).OfType<Offender>(),
        ];
        return offenders.Distinct().ToArray();
    }

    /// <summary>Null when the type is allowed.</summary>
    private string? TypeVerdict(ExternalType type)
    {
        if (_forbiddenTypes.TryGetValue(type.OutermostFullName, out var reason))
            return reason;
        var allowed = _wholeAssemblies.Contains(type.Assembly)
            || _namespaces.Contains((type.Assembly, type.Namespace))
            || _types.Contains((type.Assembly, type.OutermostFullName))
            || _onlyMembers.ContainsKey((type.Assembly, type.FullName));
        return allowed ? null : NotAllowed;
    }

    /// <summary>Null when the member of an allowed type is allowed.</summary>
    private string? MemberVerdict(ExternalMember member)
    {
        if (_onlyMembers.TryGetValue((member.Type.Assembly, member.Type.FullName), out var only))
            return only.Contains(member.Name) ? null : $"only {string.Join(", ", only)} of {member.Type} allowed";
        return _forbiddenMembers.GetValueOrDefault((member.Type.FullName, member.Name));
    }
}
