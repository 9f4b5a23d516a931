using GitOps.Sandbox.Admission;
using Xunit;

namespace GitOps.Sandbox.Tests.Admission;

public sealed class GoFormatTests
{
    public static TheoryData<string, double, string> Float_TestData() => new()
    {
        { "One", 1, "1" },
        { "Half", 0.5, "0.5" },
        { "HundredThousand", 100000, "100000" },
        { "Million", 1e6, "1e+06" },
        { "LongMantissa", 123456789, "1.23456789e+08" },
        { "SmallPlain", 0.0001, "0.0001" },
        { "SmallExponent", 0.00001, "1e-05" },
        { "Negative", -2.5, "-2.5" },
    };

    [Theory]
    [MemberData(nameof(Float_TestData))]
    public void Float_Value_PrintsLikeGoPercentV(string caseName, double value, string expected)
    {
        Assert.NotNull(caseName);
        Assert.Equal(expected, GoFormat.Float(value));
    }

    public static TheoryData<string, string, string> Quote_TestData() => new()
    {
        { "Plain", "abc", "\"abc\"" },
        { "EscapedQuoteAndBackslash", "a\"b\\c", "\"a\\\"b\\\\c\"" },
        { "ControlCharacters", "a\nb\u0001", "\"a\\nb\\x01\"" },
        { "Unicode", "é", "\"é\"" },
    };

    [Theory]
    [MemberData(nameof(Quote_TestData))]
    public void Quote_Value_PrintsLikeStrconvQuote(string caseName, string value, string expected)
    {
        Assert.NotNull(caseName);
        Assert.Equal(expected, GoFormat.Quote(value));
    }
}
