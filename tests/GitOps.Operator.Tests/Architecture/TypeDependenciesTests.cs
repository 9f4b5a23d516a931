using GitOps.Testing.Architecture;

namespace GitOps.Operator.Tests.Architecture;

public class TypeDependenciesTests
{
    private const string Fixture = "GitOps.Operator.Tests.Architecture.ScanFixture";

    public static TheoryData<string, string> Use_TestData() => new()
    {
        { "base type", "ByBaseType" },
        { "interface", "ByInterface" },
        { "attribute", "ByAttribute" },
        { "parameter", "ByParameter" },
        { "generic argument: new List<Used>()", "ByGenericArgument" },
        { "generic method argument: Array.Empty<Used>()", "ByGenericMethodArgument" },
        { "static field", "ByStaticField" },
        { "type check: is Used", "ByTypeCheck" },
        { "typeof", "ByTypeof" },
        { "catch clause", "ByCatch" },
        { "inside a lambda (a closure class)", "ByLambda" },
        { "inside an async method (a state machine)", "ByAsyncMethod" },
    };

    /// <summary>Types in TypeDependenciesFixture.cs each use the Target namespace in one way; the scanner has to see every way.</summary>
    [Theory]
    [MemberData(nameof(Use_TestData))]
    public void Read_FixtureType_UseOfTargetFound(string caseName, string userNamespace)
    {
        var dependencies = TypeDependencies.Read(typeof(TypeDependenciesTests).Assembly.Location);

        var user = new TypeName($"{Fixture}.{userNamespace}", "User");
        Assert.True(dependencies.Any(d => d.From == user && d.To.Namespace == $"{Fixture}.Target"), $"{caseName}: no use of Target found from {user}");
    }
}
