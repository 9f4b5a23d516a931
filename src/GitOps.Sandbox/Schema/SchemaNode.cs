using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Schema;

/// <summary>How the elements of a list merge (structured-merge-diff semantics).</summary>
public enum ListType { Atomic, Set, Map }

/// <summary>How the fields of an object or map merge.</summary>
public enum MapType { Granular, Atomic }

/// <summary>
/// One node of an OpenAPI v3 schema, with the Kubernetes extensions that drive server-side apply,
/// strategic merge patch, defaulting and pruning. Built-in kinds come from the recorded OpenAPI
/// documents, custom resources from their CRD's openAPIV3Schema. Nodes can be recursive.
/// </summary>
public sealed class SchemaNode
{
    /// <summary>"object", "array", "string", "integer", "number", "boolean", or null when untyped.</summary>
    public string? Type { get; internal set; }
    public string? Format { get; internal set; }
    public Dictionary<string, SchemaNode> Properties { get; } = new(StringComparer.Ordinal);
    public List<string> Required { get; } = [];
    public SchemaNode? Items { get; internal set; }
    public SchemaNode? AdditionalProperties { get; internal set; }

    /// <summary>Effective list type: x-kubernetes-list-type, else derived from the patch strategy as SMD does.</summary>
    public ListType ListType { get; internal set; } = ListType.Atomic;
    public List<string> ListMapKeys { get; } = [];
    public MapType MapType { get; internal set; } = MapType.Granular;
    public string? PatchStrategy { get; internal set; }
    public string? PatchMergeKey { get; internal set; }

    public JsonNode? Default { get; internal set; }
    public List<JsonNode?> Enum { get; } = [];
    public bool Nullable { get; internal set; }
    public bool PreserveUnknownFields { get; internal set; }
    public bool IntOrString { get; internal set; }
    public bool EmbeddedResource { get; internal set; }

    /// <summary>Extra validation carried for CRD schemas (null when absent).</summary>
    public double? Minimum { get; internal set; }
    public double? Maximum { get; internal set; }
    public long? MinLength { get; internal set; }
    public long? MaxLength { get; internal set; }
    public long? MinItems { get; internal set; }
    public long? MaxItems { get; internal set; }
    public string? Pattern { get; internal set; }

    /// <summary>A schema that says nothing: any value, lists atomic, maps granular.</summary>
    public static SchemaNode Unknown { get; } = new() { PreserveUnknownFields = true };

    public bool IsObject => Type == "object" || (Type is null && (Properties.Count > 0 || AdditionalProperties is not null));
    public bool IsArray => Type == "array" || (Type is null && Items is not null);

    /// <summary>The schema of field <paramref name="name"/> of this object, or null when the field is unknown.</summary>
    public SchemaNode? Field(string name)
    {
        if (Properties.TryGetValue(name, out var p)) return p;
        if (AdditionalProperties is not null) return AdditionalProperties;
        return PreserveUnknownFields || Type is null ? Unknown : null;
    }

    /// <summary>The schema of the elements of this list (Unknown when unspecified).</summary>
    public SchemaNode Element => Items ?? Unknown;
}
