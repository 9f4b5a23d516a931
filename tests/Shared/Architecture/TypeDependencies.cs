using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace GitOps.Testing.Architecture;

/// <summary>
/// Which of an assembly's own types use which others, read with System.Reflection.Metadata: base
/// types, interfaces, generic constraints, attributes, field, property, event and method signatures,
/// locals, catch clauses and every token in method bodies. Nested and compiler-generated types
/// (closures, async and iterator state machines) count as their outermost declaring type, so what a
/// lambda uses, its method uses.
/// </summary>
internal sealed class TypeDependencies
{
    private readonly PEReader _pe;
    private readonly MetadataReader _md;
    private readonly SignatureTypeDefinitions _signatures = new();

    private TypeDependencies(PEReader pe)
    {
        _pe = pe;
        _md = pe.GetMetadataReader();
    }

    /// <summary>Each (user, used) pair of distinct outermost types once, in metadata order.</summary>
    public static IReadOnlyList<TypeDependency> Read(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        return new TypeDependencies(pe).ReadAll();
    }

    private IReadOnlyList<TypeDependency> ReadAll() =>
        _md.TypeDefinitions
            .SelectMany(type => UsedBy(type).Select(used => new TypeDependency(NameOf(Outermost(type)), NameOf(Outermost(used)))))
            .Where(d => d.From != d.To)
            .Distinct()
            .ToArray();

    private IEnumerable<TypeDefinitionHandle> UsedBy(TypeDefinitionHandle handle)
    {
        var type = _md.GetTypeDefinition(handle);
        return
        [
            .. TypesIn(type.BaseType),
            .. type.GetInterfaceImplementations().SelectMany(i => TypesIn(_md.GetInterfaceImplementation(i).Interface)),
            .. Constraints(type.GetGenericParameters()),
            .. Attributes(type.GetCustomAttributes()),
            .. type.GetFields().SelectMany(FieldUses),
            .. type.GetProperties().SelectMany(PropertyUses),
            .. type.GetEvents().SelectMany(EventUses),
            .. type.GetMethods().SelectMany(MethodUses),
        ];
    }

    private IEnumerable<TypeDefinitionHandle> FieldUses(FieldDefinitionHandle handle)
    {
        var field = _md.GetFieldDefinition(handle);
        return [.. field.DecodeSignature(_signatures, null), .. Attributes(field.GetCustomAttributes())];
    }

    private IEnumerable<TypeDefinitionHandle> PropertyUses(PropertyDefinitionHandle handle)
    {
        var property = _md.GetPropertyDefinition(handle);
        return [.. SignatureTypeDefinitions.In(property.DecodeSignature(_signatures, null)), .. Attributes(property.GetCustomAttributes())];
    }

    private IEnumerable<TypeDefinitionHandle> EventUses(EventDefinitionHandle handle)
    {
        var @event = _md.GetEventDefinition(handle);
        return [.. TypesIn(@event.Type), .. Attributes(@event.GetCustomAttributes())];
    }

    private IEnumerable<TypeDefinitionHandle> MethodUses(MethodDefinitionHandle handle)
    {
        var method = _md.GetMethodDefinition(handle);
        IEnumerable<TypeDefinitionHandle> declared =
        [
            .. SignatureTypeDefinitions.In(method.DecodeSignature(_signatures, null)),
            .. Constraints(method.GetGenericParameters()),
            .. Attributes(method.GetCustomAttributes()),
            .. method.GetParameters().SelectMany(p => Attributes(_md.GetParameter(p).GetCustomAttributes())),
        ];
        if (method.RelativeVirtualAddress == 0) // abstract, extern or interface: no body
            return declared;
        var body = _pe.GetMethodBody(method.RelativeVirtualAddress);
        return
        [
            .. declared,
            .. Locals(body),
            .. body.ExceptionRegions.SelectMany(region => TypesIn(region.CatchType)),
            .. IlTokens.In(body).SelectMany(TypesIn),
        ];
    }

    private IEnumerable<TypeDefinitionHandle> Locals(MethodBodyBlock body) =>
        body.LocalSignature.IsNil ? [] : _md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(_signatures, null).SelectMany(l => l);

    private IEnumerable<TypeDefinitionHandle> Constraints(GenericParameterHandleCollection parameters) =>
        parameters.SelectMany(p => _md.GetGenericParameter(p).GetConstraints())
            .SelectMany(c => TypesIn(_md.GetGenericParameterConstraint(c).Type));

    private IEnumerable<TypeDefinitionHandle> Attributes(CustomAttributeHandleCollection attributes) =>
        attributes.SelectMany(a => TypesIn(_md.GetCustomAttribute(a).Constructor));

    /// <summary>The own types a token names: a member counts as its declaring type; generic instantiations count every argument.</summary>
    private IEnumerable<TypeDefinitionHandle> TypesIn(EntityHandle handle) => handle.IsNil ? [] : handle.Kind switch
    {
        HandleKind.TypeDefinition => [(TypeDefinitionHandle)handle],
        HandleKind.TypeSpecification => _md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(_signatures, null),
        HandleKind.MethodDefinition => [_md.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType()],
        HandleKind.FieldDefinition => [_md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType()],
        HandleKind.MemberReference => TypesIn(_md.GetMemberReference((MemberReferenceHandle)handle).Parent),
        HandleKind.MethodSpecification => MethodSpecificationUses((MethodSpecificationHandle)handle),
        _ => [], // types and members of other assemblies
    };

    private IEnumerable<TypeDefinitionHandle> MethodSpecificationUses(MethodSpecificationHandle handle)
    {
        var specification = _md.GetMethodSpecification(handle);
        return [.. TypesIn(specification.Method), .. specification.DecodeSignature(_signatures, null).SelectMany(a => a)];
    }

    private TypeDefinitionHandle Outermost(TypeDefinitionHandle handle)
    {
        for (var declaring = _md.GetTypeDefinition(handle).GetDeclaringType(); !declaring.IsNil; declaring = _md.GetTypeDefinition(declaring).GetDeclaringType())
            handle = declaring;
        return handle;
    }

    private TypeName NameOf(TypeDefinitionHandle handle)
    {
        var type = _md.GetTypeDefinition(handle);
        var name = _md.GetString(type.Name);
        var arity = name.IndexOf('`');
        return new(_md.GetString(type.Namespace), arity < 0 ? name : name[..arity]);
    }
}
