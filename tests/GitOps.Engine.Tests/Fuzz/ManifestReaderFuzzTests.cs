using GitOps.Engine.Model;
using GitOps.Testing.Fuzz;

namespace GitOps.Engine.Tests.Fuzz;

/// <summary>
/// The manifest reader on mutated manifests (corpus: tests/fuzz/corpus/manifests): whatever the
/// input, it returns manifests or throws a <see cref="ManifestException"/> naming the file, never
/// anything else. A bounded run here; tests/fuzz/README.md says how to run it long.
/// </summary>
public class ManifestReaderFuzzTests
{
    public static TheoryData<int> Seeds() => [1, 2, 3];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Read_MutatedManifests_OnlyManifestExceptions(int seed)
    {
        var iterations = FuzzSettings.Iterations(400);

        var failures = Mutator.Run(Mutator.Corpus("manifests"), iterations, FuzzSettings.Seed(seed), text => ManifestReader.Read(text, "fuzz.yaml"),
            e => e is ManifestException m && m.Message.StartsWith("fuzz.yaml", StringComparison.Ordinal));

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    public static TheoryData<string, string, string> Caps_TestData() => new()
    {
        { "aliases repeating aliases", AliasBomb(), "expands to more than 1,000,000 values" },
        { "nesting deeper than the cap", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  x: " + new string('[', 600) + new string(']', 600) + "\n", "nests deeper than 512 levels" },
    };

    [Theory]
    [MemberData(nameof(Caps_TestData))]
    public void Read_HostileInput_StoppedByACap(string caseName, string text, string expected)
    {
        var e = Assert.Throws<ManifestException>(() => ManifestReader.Read(text, "bomb.yaml"));

        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{caseName}: {e.Message}");
    }

    /// <summary>Nine levels of ten aliases each: 10^9 values from a file of a few hundred bytes.</summary>
    private static string AliasBomb()
    {
        var lines = new List<string> { "apiVersion: v1", "kind: ConfigMap", "metadata: {name: a}", "data:", "  l0: &l0 [x,x,x,x,x,x,x,x,x,x]" };
        for (var i = 1; i < 9; i++) lines.Add($"  l{i}: &l{i} [{string.Join(",", Enumerable.Repeat($"*l{i - 1}", 10))}]");
        return string.Join("\n", lines) + "\n";
    }
}
