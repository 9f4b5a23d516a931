using System.Text.RegularExpressions;

namespace GitOps.Operator.Tests.Install;

/// <summary>
/// The Dockerfile's build stage as data: the files it copies into the build context and the
/// `dotnet` commands it runs, so a test can run the same publish without a Docker engine.
/// </summary>
internal sealed partial record DockerfileBuildStage(IReadOnlyList<(string[] Sources, string Destination)> Copies, IReadOnlyList<string> DotnetCommands)
{
    public static DockerfileBuildStage Read(string dockerfile, string stage = "build")
    {
        var copies = new List<(string[], string)>();
        var commands = new List<string>();
        var inStage = false;
        foreach (var instruction in Instructions(File.ReadAllText(dockerfile)))
        {
            var match = Instruction().Match(instruction);
            if (!match.Success) continue;
            var (verb, rest) = (match.Groups[1].Value.ToUpperInvariant(), match.Groups[2].Value.Trim());
            if (verb == "FROM")
            {
                inStage = Regex.IsMatch(rest, $@"\sAS\s+{Regex.Escape(stage)}$", RegexOptions.IgnoreCase);
                continue;
            }
            if (!inStage) continue;
            if (verb == "COPY" && !rest.StartsWith("--", StringComparison.Ordinal))
            {
                var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                copies.Add((parts[..^1], parts[^1]));
            }
            else if (verb == "RUN" && rest.StartsWith("dotnet ", StringComparison.Ordinal))
            {
                commands.Add(rest);
            }
        }
        if (commands.Count == 0) throw new InvalidOperationException($"{dockerfile}: no `RUN dotnet ...` in stage '{stage}'");
        return new DockerfileBuildStage(copies, commands);
    }

    /// <summary>Lays the build context out in <paramref name="workdir"/> as the stage's COPY lines do (bin/ and obj/ left out, as .dockerignore does).</summary>
    public void CopyContext(string repoRoot, string workdir)
    {
        foreach (var (sources, destination) in Copies)
        {
            foreach (var source in sources)
            {
                var from = Path.Combine(repoRoot, source);
                var to = destination.EndsWith('/') ? Path.Combine(workdir, destination, Path.GetFileName(source.TrimEnd('/'))) : Path.Combine(workdir, destination);
                if (Directory.Exists(from))
                {
                    // `COPY src/ src/` copies the folder's content into the destination.
                    CopyTree(from, source.EndsWith('/') ? Path.Combine(workdir, destination) : to);
                }
                else
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                    File.Copy(from, to, overwrite: true);
                }
            }
        }
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(dir);
            if (name is "bin" or "obj" or "TestResults") continue;
            CopyTree(dir, Path.Combine(to, name));
        }
    }

    /// <summary>Dockerfile instructions with their backslash continuations joined and comments dropped.</summary>
    private static IEnumerable<string> Instructions(string text)
    {
        var current = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#')) continue;
            if (line.EndsWith('\\')) { current += line[..^1] + " "; continue; }
            current += line;
            if (current.Trim().Length > 0) yield return current.Trim();
            current = "";
        }
        if (current.Trim().Length > 0) yield return current.Trim();
    }

    [GeneratedRegex(@"^([A-Za-z]+)\s+(.*)$", RegexOptions.Singleline)]
    private static partial Regex Instruction();
}
