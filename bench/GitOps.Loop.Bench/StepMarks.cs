namespace GitOps.Loop.Bench;

/// <summary>
/// The CPU time and RSS of each measured process (operator, sandbox/NAME) at the end of each step, in step
/// order, and what a process used over the run and by step from them.
/// </summary>
internal sealed class StepMarks
{
    private readonly List<(string Step, IReadOnlyDictionary<string, ProcessSample?> Samples)> _marks = [];

    public void Mark(string step, IReadOnlyDictionary<string, ProcessSample?> samples) => _marks.Add((step, samples));

    /// <summary>The process's CPU seconds at the end of the step; NaN when it was not sampled then.</summary>
    public double CpuAt(string step, string process) =>
        _marks.LastOrDefault(m => m.Step == step).Samples?.GetValueOrDefault(process)?.CpuSeconds ?? double.NaN;

    /// <summary>The CPU seconds of the process's waited-for children (the operator's renderer processes) at the end of the step; NaN when not sampled.</summary>
    public double ChildCpuAt(string step, string process) =>
        _marks.LastOrDefault(m => m.Step == step).Samples?.GetValueOrDefault(process)?.ChildCpuSeconds ?? double.NaN;

    /// <summary>What the process used over the run: peak and steady RSS, CPU in total and by step, RSS at the end of each step, thinned samples.</summary>
    public ProcessUsage Usage(string process, ProcessSampler sampler)
    {
        var last = sampler.SampleNow();
        var samples = sampler.Samples;
        var cpuByStep = new Dictionary<string, double>(StringComparer.Ordinal);
        var rssByStep = new Dictionary<string, double>(StringComparer.Ordinal);
        var previous = 0.0;
        foreach (var (step, marks) in _marks)
        {
            var at = marks.GetValueOrDefault(process);
            var cpu = at?.CpuSeconds ?? double.NaN;
            cpuByStep[step] = Math.Round(cpu - previous, 2);
            previous = cpu;
            rssByStep[step] = Math.Round(at?.RssMiB ?? double.NaN, 1);
        }
        var peak = Math.Max(sampler.PeakRssMiB() ?? 0, samples.Count == 0 ? 0 : samples.Max(s => s.RssMiB));
        // Steady: the RSS at the end of the no-op resync pass (all apps synced, caches warm, nothing changing).
        var steady = rssByStep.GetValueOrDefault("no-op resync", double.NaN);
        // Keep the samples file small: at most ~400 points.
        var stride = Math.Max(1, samples.Count / 400);
        var thin = samples.Where((_, i) => i % stride == 0).Select(s => s with { AtSeconds = Math.Round(s.AtSeconds, 2), RssMiB = Math.Round(s.RssMiB, 1), CpuSeconds = Math.Round(s.CpuSeconds, 2), ChildCpuSeconds = Math.Round(s.ChildCpuSeconds, 2) }).ToList();
        return new ProcessUsage(Math.Round(peak, 1), steady, Math.Round(last?.CpuSeconds ?? double.NaN, 2), Math.Round(last?.ChildCpuSeconds ?? double.NaN, 2), cpuByStep, rssByStep, thin);
    }

    /// <summary>
    /// Several processes as one (the sandboxes of a many-cluster run): CPU and RSS summed; the peak is the sum of
    /// each one's peak (an upper bound: they need not peak at once); no samples (each part keeps its own). One part is returned as it is.
    /// </summary>
    public static ProcessUsage Sum(IReadOnlyList<ProcessUsage> parts)
    {
        if (parts.Count == 1) return parts[0];
        static Dictionary<string, double> Add(IEnumerable<IReadOnlyDictionary<string, double>> all) =>
            all.SelectMany(d => d).GroupBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Math.Round(g.Sum(kv => kv.Value), 2), StringComparer.Ordinal);
        return new ProcessUsage(
            Math.Round(parts.Sum(p => p.PeakRssMiB), 1), Math.Round(parts.Sum(p => p.SteadyRssMiB), 1),
            Math.Round(parts.Sum(p => p.CpuSeconds), 2), Math.Round(parts.Sum(p => p.ChildCpuSeconds), 2),
            Add(parts.Select(p => p.CpuSecondsByStep)), Add(parts.Select(p => p.RssMiBAtEndOfStep)), []);
    }
}
