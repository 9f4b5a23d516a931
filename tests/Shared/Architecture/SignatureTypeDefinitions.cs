using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace GitOps.Testing.Architecture;

/// <summary>
/// Decodes a signature into the scanned assembly's own types it mentions, generic arguments
/// included: <c>WorkQueue&lt;ResourceKey&gt;</c> gives both. Types of other assemblies give nothing.
/// </summary>
internal sealed class SignatureTypeDefinitions : ISignatureTypeProvider<IReadOnlyList<TypeDefinitionHandle>, object?>
{
    private static readonly IReadOnlyList<TypeDefinitionHandle> s_none = [];

    public static IReadOnlyList<TypeDefinitionHandle> In(MethodSignature<IReadOnlyList<TypeDefinitionHandle>> signature) =>
        [.. signature.ReturnType, .. signature.ParameterTypes.SelectMany(p => p)];

    public IReadOnlyList<TypeDefinitionHandle> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [handle];

    public IReadOnlyList<TypeDefinitionHandle> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public IReadOnlyList<TypeDefinitionHandle> GetGenericInstantiation(IReadOnlyList<TypeDefinitionHandle> genericType, ImmutableArray<IReadOnlyList<TypeDefinitionHandle>> typeArguments) =>
        [.. genericType, .. typeArguments.SelectMany(a => a)];

    public IReadOnlyList<TypeDefinitionHandle> GetModifiedType(IReadOnlyList<TypeDefinitionHandle> modifier, IReadOnlyList<TypeDefinitionHandle> unmodifiedType, bool isRequired) =>
        [.. modifier, .. unmodifiedType];

    public IReadOnlyList<TypeDefinitionHandle> GetFunctionPointerType(MethodSignature<IReadOnlyList<TypeDefinitionHandle>> signature) => In(signature);

    public IReadOnlyList<TypeDefinitionHandle> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => s_none;

    public IReadOnlyList<TypeDefinitionHandle> GetPrimitiveType(PrimitiveTypeCode typeCode) => s_none;

    public IReadOnlyList<TypeDefinitionHandle> GetGenericMethodParameter(object? genericContext, int index) => s_none;

    public IReadOnlyList<TypeDefinitionHandle> GetGenericTypeParameter(object? genericContext, int index) => s_none;

    public IReadOnlyList<TypeDefinitionHandle> GetSZArrayType(IReadOnlyList<TypeDefinitionHandle> elementType) => elementType;

    public IReadOnlyList<TypeDefinitionHandle> GetArrayType(IReadOnlyList<TypeDefinitionHandle> elementType, ArrayShape shape) => elementType;

    public IReadOnlyList<TypeDefinitionHandle> GetByReferenceType(IReadOnlyList<TypeDefinitionHandle> elementType) => elementType;

    public IReadOnlyList<TypeDefinitionHandle> GetPointerType(IReadOnlyList<TypeDefinitionHandle> elementType) => elementType;

    public IReadOnlyList<TypeDefinitionHandle> GetPinnedType(IReadOnlyList<TypeDefinitionHandle> elementType) => elementType;
}
