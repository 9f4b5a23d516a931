using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Tests.FieldManagement;

/// <summary>Reads the recorded kube-apiserver scenarios from the source tree.</summary>
internal static class RecordedData
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "GitOps.Sandbox", "Reference");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("src/GitOps.Sandbox/Reference not found above " + AppContext.BaseDirectory);
    });

    public static JsonObject Load(string relativePath) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root.Value, relativePath)))!.AsObject();

    public static IEnumerable<string> Files(string folder) =>
        Directory.GetFiles(Path.Combine(Root.Value, folder), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;
}
