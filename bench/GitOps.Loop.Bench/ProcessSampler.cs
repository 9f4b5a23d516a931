using System.Diagnostics;
using System.Globalization;

namespace GitOps.Loop.Bench;

/// <summary>One reading of a process: resident memory and CPU time (its own and its waited-for children's).</summary>
public readonly record struct ProcessSample(double AtSeconds, double RssMiB, double CpuSeconds, double ChildCpuSeconds);

/// <summary>
/// Reads /proc/PID/status (VmRSS, VmHWM) and /proc/PID/stat (utime, stime, cutime, cstime) of one
/// process, or of several as one (summed: an existing cluster's apiserver, etcd and controller manager),
/// every interval until disposed. Linux only; elsewhere it records nothing.
/// </summary>
internal sealed class ProcessSampler : IAsyncDisposable
{
    private static readonly double s_ticksPerSecond = ClockTicks();
    private readonly int[] _pids;
    private readonly long _origin;
    private readonly List<ProcessSample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ProcessSampler(int pid, long origin, TimeSpan interval)
        : this([pid], origin, interval)
    {
    }

    public ProcessSampler(IReadOnlyList<int> pids, long origin, TimeSpan interval)
    {
        _pids = [.. pids];
        _origin = origin;
        _loop = LoopAsync(interval);
    }

    public IReadOnlyList<ProcessSample> Samples
    {
        get { lock (_samples) return [.. _samples]; }
    }

    /// <summary>Takes a sample now (and keeps it); null when the process is gone.</summary>
    public ProcessSample? SampleNow()
    {
        var s = Read();
        if (s is { } v) lock (_samples) _samples.Add(v);
        return s;
    }

    /// <summary>The kernel's high-water mark of the process's RSS (VmHWM), MiB; of several, the sum (an upper bound: they need not peak at once).</summary>
    public double? PeakRssMiB()
    {
        var peaks = _pids.Select(pid => StatusField(pid, "VmHWM:")).ToList();
        return peaks.All(kb => kb is not null) ? peaks.Sum(kb => kb!.Value) / 1024.0 : null;
    }

    private async Task LoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do SampleNow();
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The sum over the processes; null when any is gone.</summary>
    private ProcessSample? Read()
    {
        ProcessSample? sum = null;
        foreach (var pid in _pids)
        {
            if (Read(pid, _origin) is not { } s) return null;
            sum = sum is { } t ? s with { RssMiB = t.RssMiB + s.RssMiB, CpuSeconds = t.CpuSeconds + s.CpuSeconds, ChildCpuSeconds = t.ChildCpuSeconds + s.ChildCpuSeconds } : s;
        }
        return sum;
    }

    /// <summary>One reading of any process (the benchmark's own: <see cref="Environment.ProcessId"/>); null when it is gone.</summary>
    public static ProcessSample? Read(int pid, long origin)
    {
        try
        {
            var rss = StatusField(pid, "VmRSS:");
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which is in parentheses and may hold spaces).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            double Ticks(int field) => double.Parse(fields[field - 3], CultureInfo.InvariantCulture) / s_ticksPerSecond;
            var cpu = Ticks(14) + Ticks(15);
            var children = Ticks(16) + Ticks(17);
            return rss is null ? null : new ProcessSample(Stopwatch.GetElapsedTime(origin).TotalSeconds, rss.Value / 1024.0, cpu, children);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static double? StatusField(int pid, string name)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith(name, StringComparison.Ordinal))
                    return double.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }
        return null;
    }

    private static double ClockTicks()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false })!;
            var text = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return double.TryParse(text, CultureInfo.InvariantCulture, out var t) && t > 0 ? t : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
