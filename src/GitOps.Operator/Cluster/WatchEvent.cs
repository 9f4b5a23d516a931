using System.Text.Json.Nodes;

namespace GitOps.Operator.Cluster;

public enum WatchEventType { Added, Modified, Deleted, Bookmark, Error }

public sealed record WatchEvent(WatchEventType Type, JsonObject Object);
