using System.Diagnostics;
using System.Globalization;

namespace GitOps.Loop.Bench;

/// <summary>
/// --cluster-cores: the API server's processes on some of the machine's cores, everything else (the benchmark,
/// and so the operator and its renderer processes, which it starts) on the rest, as in a real deployment where the
/// operator runs on a node and the API server on the control plane. Set with <c>taskset</c> on every thread of a
/// process; a thread or child process started later inherits its creator's cores.
/// </summary>
public sealed record CoreSplit(IReadOnlyList<int> Cluster, IReadOnlyList<int> Rest)
{
    /// <summary>The cores of a list such as <c>0</c>, <c>0-1</c> or <c>0,2-3</c>, in order, each once.</summary>
    public static IReadOnlyList<int> ParseList(string list)
    {
        var cores = new SortedSet<int>();
        foreach (var part in list.Split(',', StringSplitOptions.TrimEntries))
        {
            var range = part.Split('-');
            if (range.Length > 2 || !int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                || !int.TryParse(range[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var to))
                throw new ArgumentException($"'{list}' is not a list of cores (such as 0, 0-1 or 0,2-3)");
            if (to < from) throw new ArgumentException($"'{part}' in '{list}' is an empty range");
            for (var core = from; core <= to; core++) cores.Add(core);
        }
        return [.. cores];
    }

    /// <summary>The API server on <paramref name="list"/> of the machine's <paramref name="machineCores"/>, the rest on the others; at least one each.</summary>
    public static CoreSplit Of(string list, int machineCores)
    {
        var cluster = ParseList(list);
        if (cluster.Any(c => c >= machineCores)) throw new ArgumentException($"--cluster-cores {list}: this machine has cores 0-{machineCores - 1}");
        var rest = Enumerable.Range(0, machineCores).Except(cluster).ToList();
        if (rest.Count == 0) throw new ArgumentException($"--cluster-cores {list} leaves no core for the operator and the benchmark");
        return new CoreSplit(cluster, rest);
    }

    /// <summary>The machine's cores (online), whatever this process is allowed to run on.</summary>
    public static int MachineCores()
    {
        const string online = "/sys/devices/system/cpu/online";
        try
        {
            return File.Exists(online) ? ParseList(File.ReadAllText(online).Trim()).Count : Environment.ProcessorCount;
        }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
            return Environment.ProcessorCount;
        }
    }

    public static string Describe(IReadOnlyList<int> cores) => string.Join(',', cores);

    /// <summary>Every thread of process <paramref name="pid"/> onto <paramref name="cores"/>.</summary>
    public static async Task PinAsync(int pid, IReadOnlyList<int> cores, CancellationToken ct)
    {
        var info = new ProcessStartInfo("taskset") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-a", "-p", "-c", Describe(cores), pid.ToString(CultureInfo.InvariantCulture) }) info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new BenchException("cannot start taskset");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BenchException($"--cluster-cores needs taskset (util-linux): {e.Message}");
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync(ct);
            await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0) throw new BenchException($"taskset could not move process {pid} to cores {Describe(cores)}: {(await error).Trim()}");
        }
        // taskset -a says nothing of a process that is not there (it has no threads to move): the kernel's answer is what counts.
        var allowed = AllowedCores(pid);
        if (allowed is null || !allowed.SequenceEqual(cores.Order()))
            throw new BenchException($"taskset could not move process {pid} to cores {Describe(cores)}: it {(allowed is null ? "does not exist" : $"runs on {Describe(allowed)}")}");
    }

    /// <summary>The cores process <paramref name="pid"/> may run on (its main thread's), or null when it does not exist.</summary>
    public static IReadOnlyList<int>? AllowedCores(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
            return line is null ? null : ParseList(line.Split(':', 2)[1].Trim());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
