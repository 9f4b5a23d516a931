using System.Text.Json.Nodes;

namespace GitOps.Operator.Controller;

/// <summary>Reads Applications from the watch-fed cache (a copy each time).</summary>
public interface IApplicationStore
{
    JsonObject? Get(string ns, string name);

    /// <summary>
    /// An Application the operator just wrote (its status), as the server answered: the cache takes it in at
    /// once when it still holds the version the write was based on, so the next reconcile starts from it
    /// rather than from an older status (and its write does not meet a 409).
    /// </summary>
    void ObserveWrite(JsonObject written, string basedOnResourceVersion) { }
}
