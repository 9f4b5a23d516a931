using System.Text.Json.Nodes;

namespace GitOps.Engine.Normalize;

/// <summary>One rule that removes noise from an object before it is compared. Returns a new object; the argument is left as it was.</summary>
public interface INormalizer
{
    JsonObject Normalize(JsonObject obj);
}

/// <summary>
/// Base for the built-in rules: <see cref="Normalize"/> copies once, <see cref="NormalizeInPlace"/>
/// edits the copy (the chain copies once for all rules).
/// </summary>
public abstract class InPlaceNormalizer : INormalizer
{
    public JsonObject Normalize(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var copy = (JsonObject)obj.DeepClone();
        NormalizeInPlace(copy);
        return copy;
    }

    /// <summary>Edits an object the caller owns.</summary>
    protected internal abstract void NormalizeInPlace(JsonObject obj);

    public override string ToString() => GetType().Name;
}
