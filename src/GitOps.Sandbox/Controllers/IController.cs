using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Controllers;

/// <summary>A simulated controller: sees every committed change and reacts through the API's write path.</summary>
internal interface IController
{
    void OnEvent(StoreEvent e);
}
