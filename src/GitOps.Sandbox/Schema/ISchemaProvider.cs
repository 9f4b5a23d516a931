namespace GitOps.Sandbox.Schema;

/// <summary>Finds the schema of a kind: built-in kinds from OpenAPI, custom resources from their CRD.</summary>
public interface ISchemaProvider
{
    /// <summary>The root schema of an object of this group/version/kind, or null when none is known.</summary>
    SchemaNode? Find(string group, string version, string kind);
}
