using System.Text.Json.Nodes;
using GitOps.Operator.Cluster;
using GitOps.Operator.Controller;

namespace GitOps.Operator.Tests.Controller;

public sealed class ApplicationChangeTests
{
    private static JsonObject App(string change = "")
    {
        var metadata = new JsonObject
        {
            ["name"] = "web",
            ["namespace"] = "team",
            ["generation"] = change == "generation" ? 3 : 2,
            ["annotations"] = new JsonObject { ["gitops.dev/sync-requested-at"] = change == "annotation" ? "t2" : "t1" },
            ["labels"] = new JsonObject { ["team"] = change == "label" ? "b" : "a" },
            ["finalizers"] = change == "finalizer" ? new JsonArray("gitops.dev/cascade") : new JsonArray(),
        };
        if (change == "deletion") metadata["deletionTimestamp"] = "2026-11-26T00:00:00Z";
        return new JsonObject
        {
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["interval"] = "3m" },
            ["status"] = new JsonObject { ["operationState"] = new JsonObject { ["retryCount"] = change == "status" ? 2 : 1 } },
        };
    }

    [Theory]
    [InlineData("generation", true)]
    [InlineData("annotation", true)]
    [InlineData("label", true)]
    [InlineData("finalizer", true)]
    [InlineData("deletion", true)]
    [InlineData("status", false)]
    public void Matters_ModifiedApplication_OnlyWhenMoreThanTheStatusChanged(string change, bool expected)
    {
        Assert.Equal(expected, ApplicationChange.Matters(new InformerEvent(WatchEventType.Modified, App(change), App())));
    }

    [Theory]
    [InlineData(WatchEventType.Added)]
    [InlineData(WatchEventType.Deleted)]
    public void Matters_AddedOrDeleted_Always(WatchEventType type)
    {
        Assert.True(ApplicationChange.Matters(new InformerEvent(type, App("status"), App())));
    }

    [Fact]
    public void Matters_ModifiedWithoutThePreviousVersion_Always()
    {
        Assert.True(ApplicationChange.Matters(new InformerEvent(WatchEventType.Modified, App("status"))));
    }
}
