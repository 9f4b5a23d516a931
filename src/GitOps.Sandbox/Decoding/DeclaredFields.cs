using GitOps.Sandbox.Schema;

namespace GitOps.Sandbox.Decoding;

/// <summary>
/// Which fields a schema declares, as decoding sees them: a built-in kind's Go struct (its OpenAPI
/// schema), a custom resource's structural schema (what pruning keeps), and ObjectMeta for the
/// metadata of every object and embedded resource.
/// </summary>
internal static class DeclaredFields
{
    private static readonly string[] ResourceFields = ["apiVersion", "kind", "metadata"];

    /// <summary>
    /// The schema of field <paramref name="name"/> of an object of schema <paramref name="parent"/>:
    /// <see cref="SchemaNode.Unknown"/> when anything goes below it, null when it is not declared.
    /// <paramref name="isResource"/> is true at an object's root and at an embedded resource;
    /// <paramref name="builtin"/> is true under a built-in kind's schema (ObjectMeta included).
    /// </summary>
    public static SchemaNode? Of(SchemaNode parent, string name, bool isResource, bool builtin)
    {
        if (isResource && name == "metadata") return BuiltinSchemas.Shared.ObjectMeta;
        if (parent.Properties.TryGetValue(name, out var declared)) return declared;
        if (isResource && ResourceFields.Contains(name)) return SchemaNode.Unknown;
        if (parent.AdditionalProperties is { } map) return map;
        return AcceptsAnything(parent, builtin) ? SchemaNode.Unknown : null;
    }

    /// <summary>
    /// Schemas under which nothing is unknown: no schema, x-kubernetes-preserve-unknown-fields,
    /// int-or-string, an untyped node, and in built-in kinds an object without properties
    /// (RawExtension and FieldsV1 hold arbitrary JSON). A custom resource's <c>type: object</c>
    /// without properties declares nothing: pruning empties it.
    /// </summary>
    public static bool AcceptsAnything(SchemaNode s, bool builtin) =>
        ReferenceEquals(s, SchemaNode.Unknown) || s.PreserveUnknownFields || s.IntOrString
        || (s.Properties.Count == 0 && s.AdditionalProperties is null && (builtin || s.Type is null));

    /// <summary>Whether a value under this schema can hold undeclared fields (at any depth).</summary>
    public static bool IsChecked(SchemaNode s) => !ReferenceEquals(s, SchemaNode.Unknown) && !s.IntOrString;

    public static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
