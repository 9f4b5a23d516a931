namespace GitOps.Testing.Fuzz;

/// <summary>
/// How long fuzz tests run: a bounded count in the test command; GITOPS_FUZZ_ITERATIONS and
/// GITOPS_FUZZ_SEED make a long run or replay one seed (tests/fuzz/README.md).
/// </summary>
internal static class FuzzSettings
{
    public static int Iterations(int bounded) =>
        int.TryParse(Environment.GetEnvironmentVariable("GITOPS_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : bounded;

    public static int Seed(int seed) =>
        int.TryParse(Environment.GetEnvironmentVariable("GITOPS_FUZZ_SEED"), out var s) ? s * 1000 + seed : seed;
}
