namespace GitOps.Engine.Model;

/// <summary>A source file could not be read as manifests. The message starts with <c>source:line</c>.</summary>
public sealed class ManifestException(string sourceName, int line, string reason)
    : Exception(line > 0 ? $"{sourceName}:{line}: {reason}" : $"{sourceName}: {reason}")
{
    /// <summary>The file (or other source) the text came from.</summary>
    public string SourceName { get; } = sourceName;

    /// <summary>1-based line of the problem; 0 when unknown.</summary>
    public int Line { get; } = line;

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; } = reason;
}
