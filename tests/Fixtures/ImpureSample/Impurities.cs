using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ImpureSample;

/// <summary>Each method does one thing the Engine must never do; EnginePurityTests expects the allow-list to name each one.</summary>
public static class Impurities
{
    public static string ReadWithStreamReader(string path)
    {
        using var reader = new StreamReader(path);
        return reader.ReadToEnd();
    }

    public static string ReadFile(string path) => File.ReadAllText(path);

    public static string? ReadTerminal() => Console.ReadLine();

    public static string? ReadVariable() => Environment.GetEnvironmentVariable("HOME");

    public static DateTime UtcNow() => DateTime.UtcNow;

    public static DateTime Now() => DateTime.Now;

    public static DateTime Today() => DateTime.Today;

    public static DateTimeOffset OffsetUtcNow() => DateTimeOffset.UtcNow;

    public static DateTimeOffset OffsetNow() => DateTimeOffset.Now;

    public static TimeZoneInfo LocalZone() => TimeZoneInfo.Local;

    public static Guid NewId() => Guid.NewGuid();

    public static int SharedRandom() => Random.Shared.Next();

    public static int NewRandom() => new Random(42).Next();

    public static TimeSpan Measure() => Stopwatch.StartNew().Elapsed;

    public static Task Delay() => Task.Delay(1);

    public static Task Run() => Task.Run(() => { });

    public static int Sleep()
    {
        Thread.Sleep(1);
        return 0;
    }

    public static IDisposable StartTimer() => new Timer(_ => { });

    public static int ProcessId() => GetPid();

    [DllImport("libc", EntryPoint = "getpid")]
    private static extern int GetPid();
}
