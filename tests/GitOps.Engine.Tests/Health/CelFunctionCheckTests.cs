using GitOps.Engine.Health;
using GitOps.Engine.Health.Rules;

namespace GitOps.Engine.Tests.Health;

/// <summary>The functions and macros the compile-time check lets through are the ones the Cel package evaluates.</summary>
public class CelFunctionCheckTests
{
    private const string At = "timestamp('2024-03-05T06:07:08.009Z')";

    public static TheoryData<string, string> Sample_TestData() => new()
    {
        { "all", "[1, 2].all(x, x > 0)" },
        { "exists", "[1, 2].exists(x, x == 2)" },
        { "exists_one", "[1, 2].exists_one(x, x == 2)" },
        { "filter", "[1, 2, 3].filter(x, x > 1) == [2, 3]" },
        { "map", "[1, 2].map(x, x * 2) == [2, 4]" },
        { "has", "has(self.status.phase)" },
        { "size", "size(self.status.phase) == 7 && self.status.phase.size() == 7" },
        { "type", "type(1) == int" },
        { "dyn", "dyn(1) == 1" },
        { "bool", "bool(true)" },
        { "bytes", "bytes('a') == b'a'" },
        { "double", "double(1) == 1.0" },
        { "int", "int('5') == 5" },
        { "uint", "uint(5) == 5u" },
        { "string", "string(5) == '5'" },
        { "duration", "duration('1m') > duration('59s')" },
        { "timestamp", $"{At} < timestamp('2025-01-01T00:00:00Z')" },
        { "contains", "self.status.phase.contains('unn')" },
        { "startsWith", "self.status.phase.startsWith('Run')" },
        { "endsWith", "self.status.phase.endsWith('ing')" },
        { "matches", "self.status.phase.matches('^R.*g$') && matches(self.status.phase, 'unn')" },
        { "getDate", $"{At}.getDate() == 5" },
        { "getDayOfMonth", $"{At}.getDayOfMonth() == 4" },
        { "getDayOfWeek", $"{At}.getDayOfWeek() == 2" },
        { "getDayOfYear", $"{At}.getDayOfYear() == 64" },
        { "getFullYear", $"{At}.getFullYear() == 2024" },
        { "getHours", $"{At}.getHours() == 6" },
        { "getMilliseconds", $"{At}.getMilliseconds() == 9" },
        { "getMinutes", $"{At}.getMinutes() == 7" },
        { "getMonth", $"{At}.getMonth() == 2" },
        { "getSeconds", $"{At}.getSeconds() == 8" },
    };

    [Theory]
    [MemberData(nameof(Sample_TestData))]
    public void Evaluate_SampleOfListedFunction_IsTrue(string name, string expression)
    {
        var rule = new HealthCheckRule { ApiVersion = "example.com/v1", Kind = "Widget", Current = expression };
        var live = TestJson.Obj("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nstatus: {phase: Running}");

        var result = HealthRules.Compile([rule]);

        Assert.True(result.IsValid, $"{name}: {result}");
        Assert.Equal(HealthCode.Healthy, result.Registry.Assess(live)?.Code);
    }

    [Fact]
    public void Samples_CoverEveryListedName()
    {
        var sampled = Sample_TestData().Select(row => (string)row[0]).ToHashSet();

        var unsampled = CelFunctionCheck.Macros.Concat(CelFunctionCheck.Functions).Except(sampled).ToArray();

        Assert.True(unsampled.Length == 0, "no sample for: " + string.Join(", ", unsampled));
    }
}
