using GitOps.Operator.Applications;
using GitOps.Operator.Render;

namespace GitOps.Operator.Tests.Render;

public sealed class DirectoryRendererTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("gitops-render-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("gitops-outside-").FullName;

    public DirectoryRendererTests()
    {
        Write("app/a.yaml", "kind: A");
        Write("app/b.yml", "kind: B");
        Write("app/c.json", "{}");
        Write("app/readme.md", "# not a manifest");
        Write("app/nested/d.yaml", "kind: D");
        Write("app/nested/deeper/e.yaml", "kind: E");
        Write("app/.hidden/f.yaml", "kind: F");
        File.WriteAllText(Path.Combine(_outside, "secret.yaml"), "kind: Secret");
    }

    private void Write(string relative, string text)
    {
        var full = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private Task<IReadOnlyList<RenderedDocument>> RenderAsync(string path, DirectorySpec? directory = null, RenderLimits? limits = null) =>
        new DirectoryRenderer().RenderAsync(
            new RenderRequest(_root, path, new SourceSpecModel { Directory = directory ?? new DirectorySpec() }, "default", limits ?? RenderLimits.Default),
            CancellationToken.None);

    public static TheoryData<string, DirectorySpec, string[]> Selection_TestData => new()
    {
        { "top level only", new DirectorySpec(), ["app/a.yaml", "app/b.yml", "app/c.json"] },
        { "recursive skips dot dirs", new DirectorySpec { Recurse = true }, ["app/a.yaml", "app/b.yml", "app/c.json", "app/nested/d.yaml", "app/nested/deeper/e.yaml"] },
        { "include by extension", new DirectorySpec { Recurse = true, Include = "*.yaml" }, ["app/a.yaml", "app/nested/d.yaml", "app/nested/deeper/e.yaml"] },
        { "include alternatives", new DirectorySpec { Include = "{a.yaml,c.json}" }, ["app/a.yaml", "app/c.json"] },
        { "exclude a subtree", new DirectorySpec { Recurse = true, Exclude = "nested/deeper/*" }, ["app/a.yaml", "app/b.yml", "app/c.json", "app/nested/d.yaml"] },
    };

    [Theory]
    [MemberData(nameof(Selection_TestData))]
    public async Task Render_WithDirectoryOptions_SelectsFilesInOrder(string caseName, DirectorySpec directory, string[] expected)
    {
        _ = caseName;
        var docs = await RenderAsync("app", directory);
        Assert.Equal(expected, docs.Select(d => d.SourceName).ToArray());
    }

    public static TheoryData<string, string, string> BadPath_TestData => new()
    {
        { "parent directory", "../x", "must not contain \"..\"" },
        { "hidden parent", "app/../../x", "must not contain \"..\"" },
        { "absolute", "/etc", "must be relative" },
        { "missing", "nope", "does not exist" },
    };

    [Theory]
    [MemberData(nameof(BadPath_TestData))]
    public async Task Render_BadPath_RefusedWithClearError(string caseName, string path, string expected)
    {
        _ = caseName;
        var e = await Assert.ThrowsAsync<RenderException>(() => RenderAsync(path));
        Assert.Contains(expected, e.Describe());
    }

    [Fact]
    public async Task Render_FileSymlinkOutsideRepo_Refused()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "app", "leak.yaml"), Path.Combine(_outside, "secret.yaml"));
        var e = await Assert.ThrowsAsync<RenderException>(() => RenderAsync("app"));
        Assert.Contains("points outside the repository", e.Describe());
    }

    [Fact]
    public async Task Render_DirectorySymlinkOutsideRepo_Refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "linked"), _outside);
        var e = await Assert.ThrowsAsync<RenderException>(() => RenderAsync("linked"));
        Assert.Contains("points outside the repository", e.Describe());
    }

    [Fact]
    public async Task Render_SymlinkInsideRepo_Followed()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "app", "alias.yaml"), Path.Combine(_root, "app", "nested", "d.yaml"));
        var docs = await RenderAsync("app");
        Assert.Contains(docs, d => d.SourceName == "app/alias.yaml" && d.Text == "kind: D");
    }

    [Fact]
    public async Task Render_TooManyFiles_Refused()
    {
        var e = await Assert.ThrowsAsync<RenderException>(() => RenderAsync("app", limits: RenderLimits.Default with { MaxFiles = 2 }));
        Assert.Contains("more than the limit of 2", e.Message);
    }

    [Fact]
    public async Task Render_FileTooLarge_RefusedNamingTheFile()
    {
        var e = await Assert.ThrowsAsync<RenderException>(() => RenderAsync("app", limits: RenderLimits.Default with { MaxFileBytes = 3 }));
        Assert.Equal("app/a.yaml", e.File);
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }
}
