using GitOps.Operator.Render;

using GitOps.Operator.Source;
using GitOps.Operator.Tests.Render;

namespace GitOps.Operator.Tests.Source;

public sealed class SemVerRangeTests
{
    private static readonly string[] Versions = ["0.9.0", "1.0.0", "1.2.0", "1.2.5", "1.3.0-rc.1", "1.10.0", "2.0.0"];

    public static TheoryData<string, string, string?> Best_TestData => new()
    {
        { "exact", "1.2.0", "1.2.0" },
        { "exact missing", "1.2.1", null },
        { "any", "*", "2.0.0" },
        { "caret", "^1.2.0", "1.10.0" },
        { "tilde", "~1.2.0", "1.2.5" },
        { "wildcard", "1.2.x", "1.2.5" },
        { "range", ">=1.0.0 <1.10.0", "1.2.5" },
        { "range with comma", ">=1.0.0, <2", "1.10.0" },
        { "prerelease excluded", ">=1.2.6 <1.4.0", null },
        { "alternatives", "^0.9 || ^2", "2.0.0" },
    };

    [Theory]
    [MemberData(nameof(Best_TestData))]
    public void Best_Constraint_PicksHighestMatch(string caseName, string constraint, string? expected)
    {
        _ = caseName;
        Assert.Equal(expected, SemVerRange.Best(constraint, Versions)?.ToString());
    }
}
