using System.Text;
using GitOps.Engine.Model;
using GitOps.Operator.Cli;

namespace GitOps.Operator.Tests.Cli;

/// <summary>`gitops cluster add`'s kubeconfig: minified to one context and flattened (files embedded), with what it refuses.</summary>
public sealed class KubeconfigFlattenerTests : IDisposable
{
    private const string Token = "s3cr3t-token-value";
    private readonly string _dir = Directory.CreateTempSubdirectory("gitops-flatten-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    private static string Kubeconfig(string cluster, string user, string current = "main") => $$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: main
          cluster:
        {{cluster}}
        - name: other
          cluster: { server: "https://other.example:6443" }
        users:
        - name: admin
          user:
        {{user}}
        - name: other-user
          user: { token: other-token }
        contexts:
        - name: main
          context: { cluster: main, user: admin, namespace: apps }
        - name: other
          context: { cluster: other, user: other-user }
        current-context: {{current}}
        """;

    private string Write(string text, string name = "config")
    {
        var path = Path.Combine(_dir, "kube", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Flatten_FileReferences_EmbeddedRelativeToTheKubeconfigsFolder()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "kube"));
        File.WriteAllText(Path.Combine(_dir, "kube", "ca.pem"), "CA PEM");
        File.WriteAllText(Path.Combine(_dir, "kube", "client.crt"), "CERT PEM");
        File.WriteAllText(Path.Combine(_dir, "client.key"), "KEY PEM");
        File.WriteAllText(Path.Combine(_dir, "kube", "token"), Token + "\n");
        var path = Write(Kubeconfig(
            "    server: https://main.example:6443\n    certificate-authority: ca.pem",
            $"    client-certificate: client.crt\n    client-key: {Path.Combine(_dir, "client.key")}\n    tokenFile: token"));

        var flat = KubeconfigFlattener.Flatten(File.ReadAllText(path), path, null, allowExec: false);

        Assert.Equal("main", flat.Context);
        Assert.Equal("https://main.example:6443", flat.Server);
        Assert.Null(flat.ExecCommand);
        var yaml = YamlJson.Parse(flat.Text, "flat")!;
        var cluster = yaml["clusters"]!.AsArray().Single()!["cluster"]!;
        var user = yaml["users"]!.AsArray().Single()!["user"]!;
        Assert.Equal(B64("CA PEM"), (string?)cluster["certificate-authority-data"]);
        Assert.Null(cluster["certificate-authority"]);
        Assert.Equal(B64("CERT PEM"), (string?)user["client-certificate-data"]);
        Assert.Equal(B64("KEY PEM"), (string?)user["client-key-data"]);
        Assert.Null(user["client-certificate"]);
        Assert.Null(user["client-key"]);
        Assert.Null(user["tokenFile"]);
        Assert.Equal(Token, (string?)user["token"]);
        Assert.Equal("main", (string?)yaml["current-context"]);
        Assert.Equal("apps", (string?)yaml["contexts"]!.AsArray().Single()!["context"]!["namespace"]);
    }

    [Fact]
    public void Flatten_NamedContext_OnlyThatContextItsClusterAndUser()
    {
        var path = Write(Kubeconfig("    server: https://main.example:6443", $"    token: {Token}"));

        var flat = KubeconfigFlattener.Flatten(File.ReadAllText(path), path, "other", allowExec: false);

        Assert.Equal("https://other.example:6443", flat.Server);
        Assert.DoesNotContain(Token, flat.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("main.example", flat.Text, StringComparison.Ordinal);
        Assert.Contains("other-token", flat.Text, StringComparison.Ordinal);
        Assert.Single(YamlJson.Parse(flat.Text, "flat")!["contexts"]!.AsArray());
    }

    [Fact]
    public void Flatten_ExecAllowed_KeptAndNamed()
    {
        var path = Write(Kubeconfig("    server: https://main.example:6443", "    exec: { apiVersion: client.authentication.k8s.io/v1, command: aws, args: [eks, get-token] }"));

        var flat = KubeconfigFlattener.Flatten(File.ReadAllText(path), path, null, allowExec: true);

        Assert.Equal("aws", flat.ExecCommand);
        Assert.Contains("get-token", flat.Text, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string, string?, string> Refused_TestData() => new()
    {
        { "exec without --allow-exec", "    server: https://main.example:6443", "    exec: { apiVersion: client.authentication.k8s.io/v1, command: aws }", null, "--allow-kubeconfig-exec" },
        { "auth-provider", "    server: https://main.example:6443", "    auth-provider: { name: gcp, config: { access-token: " + Token + " } }", null, "auth-provider \"gcp\" is refused" },
        { "missing CA file", "    server: https://main.example:6443\n    certificate-authority: nope.pem", $"    token: {Token}", null, "certificate-authority" },
        { "missing client key", "    server: https://main.example:6443", $"    token: {Token}\n    client-key: nope.key", null, "client-key" },
        { "unknown context", "    server: https://main.example:6443", $"    token: {Token}", "staging", "no context \"staging\" (it has: main, other)" },
        { "no server", "    insecure-skip-tls-verify: true", $"    token: {Token}", null, "no http(s) server address" },
    };

    [Theory]
    [MemberData(nameof(Refused_TestData))]
    public void Flatten_Refused_OneLineWithoutSecrets(string caseName, string cluster, string user, string? context, string expected)
    {
        var path = Write(Kubeconfig(cluster, user));

        var e = Assert.Throws<CliException>(() => KubeconfigFlattener.Flatten(File.ReadAllText(path), path, context, allowExec: false));

        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{caseName}: {e.Message}");
        Assert.DoesNotContain(Token, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void ServerOf_RegisteredKubeconfig_ItsContextsServer()
    {
        var text = Kubeconfig("    server: https://main.example:6443/", $"    token: {Token}");

        Assert.Equal("https://main.example:6443", KubeconfigFlattener.ServerOf(text, null));
        Assert.Equal("https://other.example:6443", KubeconfigFlattener.ServerOf(text, "other"));
        Assert.Null(KubeconfigFlattener.ServerOf("not: [a kubeconfig", null));
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
