using Xunit.Abstractions;
using Xunit.Sdk;

namespace GitOps.Sandbox.Tests.Replay;

/// <summary>
/// Runs the replay cases in the order the recording made them (they share namespace
/// <c>reference</c>, and lists see what earlier cases left there); other tests keep their order.
/// </summary>
public sealed class RecordedOrderer : ITestCaseOrderer
{
    public const string TypeName = "GitOps.Sandbox.Tests.Replay.RecordedOrderer";
    public const string AssemblyName = "GitOps.Sandbox.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase
    {
        var order = ReferenceRecordings.Cases.Select((c, i) => (c.Name, i)).ToDictionary(p => p.Name, p => p.i);
        int Rank(TTestCase t) => t.TestMethodArguments is [string name, ..] && order.TryGetValue(name, out var i) ? i : int.MaxValue;
        return testCases.OrderBy(Rank).ThenBy(t => t.DisplayName, StringComparer.Ordinal).ToList();
    }
}
