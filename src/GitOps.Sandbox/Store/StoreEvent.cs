using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Store;

public enum StoreEventType { Added, Modified, Deleted }

/// <summary>One committed change. Objects are frozen once stored: never mutate them, clone first.</summary>
public sealed record StoreEvent(long ResourceVersion, StoreEventType Type, ObjectKey Key, JsonObject? Previous, JsonObject Object);
