using System.Reflection;
using GitOps.Engine.Model;
using ImpureSample;

namespace GitOps.Engine.Tests.Architecture;

/// <summary>House rule 1: the Engine is pure. It references only what <see cref="EngineAllowList"/> allows and has no public async method.</summary>
public class EnginePurityTests
{
    private static readonly Assembly s_engine = typeof(Manifest).Assembly;

    [Fact]
    public void References_Engine_AllOnTheAllowList()
    {
        var offenders = EngineAllowList.Rules.Offenders(ExternalReferences.Read(s_engine.Location));
        Assert.True(offenders.Count == 0, "GitOps.Engine references what EngineAllowList does not allow:\n" + string.Join("\n", offenders));
    }

    public static TheoryData<string, string> Impurity_TestData() => new()
    {
        { "new StreamReader(path)", "System.IO.StreamReader" },
        { "File.ReadAllText", "System.IO.File" },
        { "Console.ReadLine()", "System.Console" },
        { "Console.ReadLine(): its assembly", "assembly System.Console" },
        { "Environment.GetEnvironmentVariable", "System.Environment" },
        { "DateTime.UtcNow", "System.DateTime.get_UtcNow" },
        { "DateTime.Now", "System.DateTime.get_Now" },
        { "DateTime.Today", "System.DateTime.get_Today" },
        { "DateTimeOffset.UtcNow", "System.DateTimeOffset.get_UtcNow" },
        { "DateTimeOffset.Now", "System.DateTimeOffset.get_Now" },
        { "TimeZoneInfo.Local", "System.TimeZoneInfo.get_Local" },
        { "Guid.NewGuid", "System.Guid.NewGuid" },
        { "Random.Shared and new Random", "System.Random" },
        { "Stopwatch", "System.Diagnostics.Stopwatch" },
        { "Task.Delay and Task.Run", "System.Threading.Tasks.Task" },
        { "Thread.Sleep", "System.Threading.Thread" },
        { "Thread.Sleep: its assembly", "assembly System.Threading.Thread" },
        { "a timer", "System.Threading.Timer" },
        { "a timer's callback", "System.Threading.TimerCallback" },
        { "P/Invoke", "native library libc" },
    };

    /// <summary>The allow-list is only as good as what it catches: run it over an assembly that does each forbidden thing.</summary>
    [Theory]
    [MemberData(nameof(Impurity_TestData))]
    public void References_ImpureSample_ImpurityNamed(string caseName, string reference)
    {
        var offenders = EngineAllowList.Rules.Offenders(ExternalReferences.Read(typeof(Impurities).Assembly.Location));
        Assert.True(offenders.Any(o => o.Reference == reference), $"{caseName}: {reference} not among the offenders:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void References_ImpureSample_NothingElseNamed()
    {
        var expected = Impurity_TestData().Select(row => (string)row[1]);
        var offenders = EngineAllowList.Rules.Offenders(ExternalReferences.Read(typeof(Impurities).Assembly.Location));
        Assert.Equal(expected.Order(StringComparer.Ordinal), offenders.Select(o => o.Reference).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PublicMethods_ReturnTypes_NeverTaskOrAsyncStream()
    {
        var offenders = s_engine.GetExportedTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => IsAsync(m.ReturnType))
            .Select(m => $"{m.DeclaringType!.FullName}.{m.Name}")
            .ToArray();
        Assert.True(offenders.Length == 0, "async public methods: " + string.Join(", ", offenders));
    }

    [Fact]
    public void PublicMethods_NoneReturnVoid_ExceptCompilerGenerated()
    {
        var offenders = s_engine.GetExportedTypes()
            .Where(t => !t.IsInterface)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.ReturnType == typeof(void) && !m.IsSpecialName && m.Name != "Deconstruct" && !m.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)))
            .Select(m => $"{m.DeclaringType!.FullName}.{m.Name}")
            .ToArray();
        Assert.True(offenders.Length == 0, "void public methods: " + string.Join(", ", offenders));
    }

    private static bool IsAsync(Type t) =>
        typeof(Task).IsAssignableFrom(t)
        || (t.IsGenericType && t.GetGenericTypeDefinition() is var g && (g == typeof(ValueTask<>) || g == typeof(IAsyncEnumerable<>)))
        || t == typeof(ValueTask);
}
