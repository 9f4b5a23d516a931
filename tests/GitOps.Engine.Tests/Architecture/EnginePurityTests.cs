using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using GitOps.Engine.Model;

namespace GitOps.Engine.Tests.Architecture;

/// <summary>House rule 1: the Engine is pure. It references no cluster, Git, network, file or process API and has no public async method.</summary>
public class EnginePurityTests
{
    private static readonly Assembly s_engine = typeof(Manifest).Assembly;

    public static TheoryData<string, string> ForbiddenAssembly_TestData() => new()
    {
        { "kubernetes client", "KubernetesClient" },
        { "libgit2", "LibGit2Sharp" },
        { "http", "System.Net.Http" },
        { "sockets", "System.Net.Sockets" },
        { "process", "System.Diagnostics.Process" },
        { "file system", "System.IO.FileSystem" },
    };

    [Theory]
    [MemberData(nameof(ForbiddenAssembly_TestData))]
    public void References_ForbiddenAssembly_NotReferenced(string caseName, string assemblyName)
    {
        var referenced = s_engine.GetReferencedAssemblies().Select(a => a.Name).ToArray();
        Assert.True(!referenced.Contains(assemblyName), $"{caseName}: GitOps.Engine references {assemblyName}");
    }

    public static TheoryData<string, string> ForbiddenType_TestData() => new()
    {
        { "file", "System.IO.File" },
        { "file info", "System.IO.FileInfo" },
        { "file stream", "System.IO.FileStream" },
        { "directory", "System.IO.Directory" },
        { "directory info", "System.IO.DirectoryInfo" },
        { "stream reader on paths", "System.IO.StreamWriter" },
        { "process", "System.Diagnostics.Process" },
        { "process start", "System.Diagnostics.ProcessStartInfo" },
        { "http client", "System.Net.Http.HttpClient" },
        { "environment", "System.Environment" },
        { "task delay / run", "System.Threading.Tasks.Task" },
    };

    /// <summary>File and process types live in System.Runtime's facade, so the check reads every type the IL refers to.</summary>
    [Theory]
    [MemberData(nameof(ForbiddenType_TestData))]
    public void TypeReferences_ForbiddenType_NotUsed(string caseName, string typeName)
    {
        using var stream = System.IO.File.OpenRead(s_engine.Location);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var used = md.TypeReferences
            .Select(h => md.GetTypeReference(h))
            .Select(t => $"{md.GetString(t.Namespace)}.{md.GetString(t.Name)}")
            .ToHashSet();
        Assert.True(!used.Contains(typeName), $"{caseName}: GitOps.Engine uses {typeName}");
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
