using System.Reflection;

namespace GitOps.Operator.Demo;

/// <summary>The files the demo carries inside the executable: the Application, Project and Notification CRDs and the examples/ repository.</summary>
internal static class DemoAssets
{
    private static Assembly Assembly => typeof(DemoAssets).Assembly;

    public static string Crd() => Read("crds/application.yaml");

    public static string ProjectCrd() => Read("crds/project.yaml");

    public static string NotificationCrd() => Read("crds/notification.yaml");

    /// <summary>Every file under examples/, by path relative to it (with forward slashes).</summary>
    public static IReadOnlyDictionary<string, string> Examples() =>
        Assembly.GetManifestResourceNames()
            .Select(n => (Resource: n, Path: n.Replace('\\', '/')))
            .Where(n => n.Path.StartsWith("examples/", StringComparison.Ordinal))
            .ToDictionary(n => n.Path["examples/".Length..], n => Read(n.Resource), StringComparer.Ordinal);

    public static void WriteExamples(string directory)
    {
        foreach (var (path, text) in Examples())
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
    }

    private static string Read(string name)
    {
        using var stream = Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"resource {name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
