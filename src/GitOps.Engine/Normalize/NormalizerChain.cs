using System.Text.Json.Nodes;

namespace GitOps.Engine.Normalize;

/// <summary>
/// The normalizers in their fixed order. Desired (predicted) and live objects both pass through the
/// same chain before they are compared.
/// </summary>
public sealed class NormalizerChain : INormalizer
{
    /// <summary>SecretStringData → StripServerMetadata → StripStatus → EmptyMetadataMaps (empty maps last, after the annotation strip).</summary>
    public static NormalizerChain Default { get; } = new(
    [
        new SecretStringData(),
        new StripServerMetadata(),
        new StripStatus(),
        new EmptyMetadataMaps(),
    ]);

    public NormalizerChain(IReadOnlyList<INormalizer> normalizers)
    {
        ArgumentNullException.ThrowIfNull(normalizers);
        Normalizers = normalizers.ToArray();
    }

    public IReadOnlyList<INormalizer> Normalizers { get; }

    /// <summary>A new chain with <paramref name="extra"/> run after the built-in rules.</summary>
    public NormalizerChain Then(INormalizer extra) => new([.. Normalizers, extra]);

    public JsonObject Normalize(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var current = (JsonObject)obj.DeepClone();
        foreach (var n in Normalizers)
        {
            if (n is InPlaceNormalizer inPlace) inPlace.NormalizeInPlace(current);
            else current = n.Normalize(current);
        }

        return current;
    }

    public override string ToString() => string.Join(" → ", Normalizers.Select(n => n.GetType().Name));
}
