using GitOps.Operator.Source;

namespace GitOps.Operator.Tests.Source;

public sealed class KnownTreesTests : IDisposable
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private readonly string _dir = Directory.CreateTempSubdirectory("gitops-known-trees-").FullName;

    private SourceSnapshot Snapshot() => new(Commit, _dir, "message", "author", DateTimeOffset.UnixEpoch);

    [Fact]
    public void Get_TreeStillOnDisk_ReturnsItsSnapshot()
    {
        var known = new KnownTrees();
        var snapshot = Snapshot();
        known.Add("https://git.example/a.git", Commit, snapshot);

        Assert.Same(snapshot, known.Get("https://git.example/a.git", Commit));
    }

    [Fact]
    public void Get_AnotherRepositoryWithTheSameCommit_Nothing()
    {
        var known = new KnownTrees();
        known.Add("https://git.example/private.git", Commit, Snapshot());

        Assert.Null(known.Get("https://git.example/other.git", Commit));
        Assert.Null(known.Get("https://git.example/private.git", Commit.Replace('0', '1')));
    }

    [Fact]
    public void Get_TreeEvicted_NothingAndForgotten()
    {
        var known = new KnownTrees();
        known.Add("https://git.example/a.git", Commit, Snapshot());
        Directory.Delete(_dir);

        Assert.Null(known.Get("https://git.example/a.git", Commit));
        Directory.CreateDirectory(_dir);
        Assert.Null(known.Get("https://git.example/a.git", Commit)); // forgotten: the next checkout reads the disk again
    }

    [Fact]
    public void Add_BeyondCapacity_StartsOver()
    {
        var known = new KnownTrees(capacity: 2);
        known.Add("a", Commit, Snapshot());
        known.Add("b", Commit, Snapshot());
        known.Add("c", Commit, Snapshot());

        Assert.Null(known.Get("a", Commit));
        Assert.NotNull(known.Get("c", Commit));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
