using GitOps.Engine.Model;

namespace GitOps.Engine.Policy.Guardrails;

/// <summary>One named check of one desired object; yields a message per problem found.</summary>
public interface IGuardrail
{
    string Name { get; }

    IEnumerable<string> Check(Manifest manifest, GuardrailSettings settings);
}
