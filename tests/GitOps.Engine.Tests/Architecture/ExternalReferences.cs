using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace GitOps.Engine.Tests.Architecture;

/// <summary>A type of another assembly, as the referencing assembly's metadata names it. A nested type is <c>Outer+Inner</c> and shares its outer type's namespace.</summary>
internal sealed record ExternalType(string Assembly, string Namespace, string FullName, string OutermostFullName)
{
    public override string ToString() => FullName;
}

/// <summary>A method or field of another assembly's type.</summary>
internal sealed record ExternalMember(ExternalType Type, string Name)
{
    public override string ToString() => $"{Type}.{Name}";
}

/// <summary>
/// Everything an assembly reaches outside itself, read from its metadata tables rather than its
/// IL: referenced assemblies, native libraries (P/Invoke), types (TypeRef) and members (MemberRef).
/// Whatever the code calls, constructs, catches or merely mentions in a signature is in these tables.
/// </summary>
internal sealed record ExternalReferences(
    IReadOnlyList<string> Assemblies,
    IReadOnlyList<string> NativeLibraries,
    IReadOnlyList<ExternalType> Types,
    IReadOnlyList<ExternalMember> Members)
{
    public static ExternalReferences Read(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var md = pe.GetMetadataReader();
        return new(
            md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToArray(),
            Enumerable.Range(1, md.GetTableRowCount(TableIndex.ModuleRef))
                .Select(row => md.GetString(md.GetModuleReference(MetadataTokens.ModuleReferenceHandle(row)).Name)).ToArray(),
            md.TypeReferences.Select(h => TypeOf(md, h)).OfType<ExternalType>().ToArray(),
            md.MemberReferences.Select(md.GetMemberReference)
                .Select(m => ParentOf(md, m.Parent) is { } parent ? new ExternalMember(parent, md.GetString(m.Name)) : null)
                .OfType<ExternalMember>().ToArray());
    }

    /// <summary>Null for a reference back into the assembly itself.</summary>
    private static ExternalType? TypeOf(MetadataReader md, TypeReferenceHandle handle)
    {
        var type = md.GetTypeReference(handle);
        var name = md.GetString(type.Name);
        switch (type.ResolutionScope.Kind)
        {
            case HandleKind.TypeReference:
                return TypeOf(md, (TypeReferenceHandle)type.ResolutionScope) is { } outer ? outer with { FullName = $"{outer.FullName}+{name}" } : null;
            case HandleKind.AssemblyReference:
                var assembly = md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name);
                var ns = md.GetString(type.Namespace);
                var fullName = ns.Length == 0 ? name : $"{ns}.{name}";
                return new(assembly, ns, fullName, fullName);
            default:
                return null;
        }
    }

    /// <summary>The type a member reference belongs to: a plain type, or the generic type of an instantiation (<c>List&lt;T&gt;.Add</c> belongs to <c>List`1</c>).</summary>
    private static ExternalType? ParentOf(MetadataReader md, EntityHandle parent)
    {
        if (parent.Kind == HandleKind.TypeReference)
            return TypeOf(md, (TypeReferenceHandle)parent);
        if (parent.Kind != HandleKind.TypeSpecification)
            return null;
        var signature = md.GetBlobReader(md.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
        if (signature.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
            return null;
        signature.ReadSignatureTypeCode(); // class or value type
        var generic = signature.ReadTypeHandle();
        return generic.Kind == HandleKind.TypeReference ? TypeOf(md, (TypeReferenceHandle)generic) : null;
    }
}
