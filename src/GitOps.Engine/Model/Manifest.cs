using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Engine.Model;

/// <summary>
/// One unstructured Kubernetes object as rendered from Git. Immutable: the wrapped
/// <see cref="JsonObject"/> is a private deep copy, and <see cref="ToJson"/> hands out copies.
/// </summary>
public sealed class Manifest : IEquatable<Manifest>
{
    private readonly JsonObject _obj;
    private string? _hash;

    private Manifest(JsonObject obj, bool encryptedInGit = false)
    {
        _obj = obj;
        EncryptedInGit = encryptedInGit;
        ApiVersion = Json.GetString(obj, "apiVersion") ?? "";
        var slash = ApiVersion.IndexOf('/', StringComparison.Ordinal);
        Group = slash < 0 ? "" : ApiVersion[..slash];
        Version = slash < 0 ? ApiVersion : ApiVersion[(slash + 1)..];
        Kind = Json.GetString(obj, "kind") ?? "";
        var metadata = obj["metadata"] as JsonObject;
        Namespace = Json.GetString(metadata, "namespace") ?? "";
        // An object made for each sync (a hook) may have only a generateName: it names the key then.
        Name = Json.GetString(metadata, "name") ?? Json.GetString(metadata, "generateName") ?? "";
        HasGenerateName = Json.GetString(metadata, "name") is null && Json.GetString(metadata, "generateName") is not null;
        Labels = StringMap(metadata?["labels"]);
        Annotations = StringMap(metadata?["annotations"]);
    }

    /// <summary>Wraps a deep copy of <paramref name="obj"/>; later changes to it do not reach the manifest.</summary>
    public static Manifest From(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new Manifest((JsonObject)obj.DeepClone());
    }

    /// <summary>
    /// Wraps <paramref name="obj"/> itself (no copy: the caller hands it over) whose <see cref="Hash"/>
    /// is already known, as for a copy kept from an earlier render of the same input.
    /// </summary>
    public static Manifest FromHashed(JsonObject obj, string hash) => FromHashed(obj, hash, encryptedInGit: false);

    /// <summary>As <see cref="FromHashed(JsonObject, string)"/>, keeping the <see cref="EncryptedInGit"/> mark of the copy.</summary>
    public static Manifest FromHashed(JsonObject obj, string hash, bool encryptedInGit)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new Manifest(obj, encryptedInGit) { _hash = hash };
    }

    /// <summary>Parses one JSON object.</summary>
    public static Manifest Parse(string json) =>
        new(JsonNode.Parse(json) as JsonObject ?? throw new FormatException("the JSON text is not an object"));

    public string ApiVersion { get; }
    public string Group { get; }
    public string Version { get; }
    public string Kind { get; }

    /// <summary>metadata.namespace, "" when absent.</summary>
    public string Namespace { get; }
    public string Name { get; }

    /// <summary>It has a metadata.generateName and no name: the API server names it when it is created.</summary>
    public bool HasGenerateName { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }
    public IReadOnlyDictionary<string, string> Annotations { get; }
    public GroupKind GroupKind => new(Group, Kind);

    /// <summary>
    /// The object was decrypted by the operator from a SOPS document whose secret values (a Secret's
    /// data and stringData) were all encrypted in Git. Only code sets it (<see cref="AsEncryptedInGit"/>);
    /// nothing in the object's own text can, so a Git author cannot forge it. Not part of the content:
    /// <see cref="Hash"/> and equality ignore it.
    /// </summary>
    public bool EncryptedInGit { get; }

    /// <summary>A copy carrying the <see cref="EncryptedInGit"/> mark.</summary>
    public Manifest AsEncryptedInGit() => new((JsonObject)_obj.DeepClone(), encryptedInGit: true) { _hash = _hash };
    public ResourceKey Key => new(Group, Kind, Namespace, Name);

    /// <summary>A deep copy of the object, free to change.</summary>
    public JsonObject ToJson() => (JsonObject)_obj.DeepClone();

    /// <summary>A deep copy of the manifest.</summary>
    public Manifest Clone() => new((JsonObject)_obj.DeepClone(), EncryptedInGit) { _hash = _hash };

    /// <summary>A new manifest made from a changed copy of this one.</summary>
    public Manifest With(Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var copy = ToJson();
        change(copy);
        return new Manifest(copy, EncryptedInGit);
    }

    /// <summary>The annotation's value or null.</summary>
    public string? Annotation(string name) => Annotations.TryGetValue(name, out var v) ? v : null;

    /// <summary>Reads a value without copying the whole object (the node must not be changed).</summary>
    internal JsonNode? Get(params string[] path) => Json.Get(_obj, path);

    /// <summary>Lower-case hex SHA-256 of the canonical JSON (keys sorted): equal content, equal hash.</summary>
    public string Hash() => _hash ??= Json.CanonicalSha256(_obj);

    /// <summary>
    /// The <see cref="Hash"/> a live object would have without what the server keeps changing on its own
    /// (status, metadata.resourceVersion, .managedFields and .generation, and the revision annotation the
    /// Deployment controller sets after every rollout), computed without copying it.
    /// </summary>
    public static string LiveContentHash(JsonObject live) => Json.CanonicalSha256(live, static (parent, key) => parent switch
    {
        null => key == "status",
        "metadata" => key is "resourceVersion" or "managedFields" or "generation",
        "metadata.annotations" => key == DeploymentRevisionAnnotation,
        _ => false,
    });

    /// <summary>
    /// Set by the Deployment controller, never by a manifest (it would overwrite one): a change of it alone
    /// cannot change what an apply of the desired object would do, so it needs no new dry run.
    /// </summary>
    public const string DeploymentRevisionAnnotation = "deployment.kubernetes.io/revision";

    public bool Equals(Manifest? other) => other is not null && Hash() == other.Hash();

    public override bool Equals(object? obj) => Equals(obj as Manifest);

    public override int GetHashCode() => Hash().GetHashCode(StringComparison.Ordinal);

    /// <summary>The key (<c>Kind/ns/name</c>).</summary>
    public override string ToString() => Key.ToString();

    private static Dictionary<string, string> StringMap(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject o)
        {
            foreach (var (k, v) in o)
            {
                if (v is JsonValue value && value.TryGetValue<string>(out var s)) map[k] = s;
                else if (v is not null) map[k] = v.ToJsonString();
            }
        }

        return map;
    }
}
