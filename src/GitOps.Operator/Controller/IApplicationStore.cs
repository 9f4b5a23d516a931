using System.Text.Json.Nodes;

namespace GitOps.Operator.Controller;

/// <summary>Reads Applications from the watch-fed cache (a copy each time).</summary>
public interface IApplicationStore
{
    JsonObject? Get(string ns, string name);
}
