using System.Text;
using System.Text.Json.Nodes;
using GitOps.Operator.Render.Sops;

namespace GitOps.Operator.Tests.Integration;

/// <summary>What the SOPS integration tests share: key Secrets, encrypted files, the spec.decryption lines, reading Secret data.</summary>
internal static class SopsKit
{
    public const string KeySecret = "sops-age";

    /// <summary>spec.decryption at the indentation of Scenario.CreateAppAsync's extraSpec.</summary>
    public static string DecryptionSpec(string secret = KeySecret) => $"  decryption:\n    provider: sops\n    secretRef: {{ name: {secret} }}";

    public static Task CreateKeySecretAsync(OperatorFixture fx, string ns, AgeIdentity identity, string name = KeySecret) =>
        fx.ApplyYamlAsync($"""
            apiVersion: v1
            kind: Secret
            metadata: {"{"} name: {name}, namespace: {ns} {"}"}
            stringData:
              age.agekey: |
                # public key: {identity.Recipient}
                {identity.SecretText()}
            """);

    public static string EncryptYaml(string plain, AgeIdentity identity, SopsRules? rules = null) =>
        SopsDocument.Encrypt(plain, SopsFormat.Yaml, [identity.Recipient], rules ?? new SopsRules { EncryptedRegex = SopsRules.KubernetesEncryptedRegex }, DateTimeOffset.UtcNow);

    public static string Secret(string name, string password) => $"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: {name}
          labels: {"{"} app: web {"}"}
        type: Opaque
        stringData:
          password: {password}
        """;

    public static async Task<string?> SecretValueAsync(OperatorFixture fx, string ns, string name, string key)
    {
        var secret = await fx.GetAsync($"/api/v1/namespaces/{ns}/secrets/{name}");
        return secret?["data"]?[key] is JsonValue v ? Encoding.UTF8.GetString(Convert.FromBase64String((string)v!)) : null;
    }

    public static bool RenderErrorSays(JsonObject app, string text) =>
        OperatorFixture.HasCondition(app, "RenderError") && OperatorFixture.ConditionMessage(app, "RenderError")?.Contains(text, StringComparison.Ordinal) == true;
}
