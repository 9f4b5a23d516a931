using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GitOps.Sandbox.Tests.Infrastructure;

namespace GitOps.Sandbox.Tests.Conformance;

/// <summary>
/// `kubectl get` Tables (Accept: as=Table;v=v1;g=meta.k8s.io) of built-in kinds: the column definitions and
/// cells of kube-apiserver 1.26's printers. "*" marks a priority 1 (-o wide) column; "&lt;age&gt;" an age cell.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Integration")]
public sealed class TableColumnsTests(ApiTarget target)
{
    private const string Template = "template: {metadata: {labels: {app: w}}, spec: {containers: [{name: c, image: nginx:1.27}, {name: d, image: busybox}]}}";

    public static TheoryData<string, string, string, string?, string, string> Tables_TestData => new()
    {
        { "configmap", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: '1', b: '2'}\nbinaryData: {c: AA==}", "api/v1/namespaces/{ns}/configmaps", null,
          "Name|Data|Age", "cm|3|<age>" },
        { "secret", "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/basic-auth\nstringData: {username: u, password: p}", "api/v1/namespaces/{ns}/secrets", null,
          "Name|Type|Data|Age", "s|kubernetes.io/basic-auth|2|<age>" },
        { "serviceaccount", "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot}\nsecrets: [{name: a}]", "api/v1/namespaces/{ns}/serviceaccounts", null,
          "Name|Secrets|Age", "robot|1|<age>" },
        { "service", "apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {type: NodePort, selector: {app: w, tier: b}, externalIPs: [1.2.3.4], ports: [{port: 80, nodePort: 30080, name: http}, {port: 53, protocol: UDP, name: dns}]}",
          "api/v1/namespaces/{ns}/services", null,
          "Name|Type|Cluster-IP|External-IP|Port(s)|Age|*Selector", "svc|NodePort|<ip>|1.2.3.4|80:30080/TCP,53:<port>/UDP|<age>|app=w,tier=b" },
        { "endpoints", "apiVersion: v1\nkind: Endpoints\nmetadata: {name: ep}\nsubsets: [{addresses: [{ip: 10.0.0.1}, {ip: 10.0.0.2}], ports: [{port: 80, name: a}, {port: 81, name: b}]}]",
          "api/v1/namespaces/{ns}/endpoints", null,
          "Name|Endpoints|Age", "ep|10.0.0.1:80,10.0.0.2:80,10.0.0.1:81 + 1 more...|<age>" },
        { "pvc", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {accessModes: [ReadWriteOnce], storageClassName: fast, resources: {requests: {storage: 1Gi}}}",
          "api/v1/namespaces/{ns}/persistentvolumeclaims", null,
          "Name|Status|Volume|Capacity|Access Modes|StorageClass|Age|*VolumeMode", "data|Pending||||fast|<age>|Filesystem" },
        { "deployment", $"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec: {{replicas: 2, selector: {{matchLabels: {{app: w}}}}, {Template}}}",
          "apis/apps/v1/namespaces/{ns}/deployments", "deployment/web --for=condition=Available",
          "Name|Ready|Up-to-date|Available|Age|*Containers|*Images|*Selector", "web|2/2|2|2|<age>|c,d|nginx:1.27,busybox|app=w" },
        { "statefulset", $"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: db}}\nspec: {{serviceName: db, selector: {{matchLabels: {{app: w}}}}, {Template}}}",
          "apis/apps/v1/namespaces/{ns}/statefulsets", "statefulset/db --for=jsonpath={.status.readyReplicas}=1",
          "Name|Ready|Age|*Containers|*Images", "db|1/1|<age>|c,d|nginx:1.27,busybox" },
        { "daemonset", $"apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: agent}}\nspec: {{selector: {{matchExpressions: [{{key: app, operator: In, values: [w]}}]}}, {Template.Replace("spec: {containers", "spec: {nodeSelector: {disk: ssd}, containers")}}}",
          "apis/apps/v1/namespaces/{ns}/daemonsets", "daemonset/agent --for=jsonpath={.status.numberAvailable}=1",
          "Name|Desired|Current|Ready|Up-to-date|Available|Node Selector|Age|*Containers|*Images|*Selector", "agent|1|1|1|1|1|disk=ssd|<age>|c,d|nginx:1.27,busybox|app in (w)" },
        { "job", "apiVersion: batch/v1\nkind: Job\nmetadata: {name: once}\nspec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}",
          "apis/batch/v1/namespaces/{ns}/jobs", "job/once --for=condition=Complete",
          "Name|Completions|Duration|Age|*Containers|*Images|*Selector", "once|1/1|<age>|<age>|c|busybox|controller-uid=<uid>" },
        { "cronjob", "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec: {schedule: '0 3 * * *', jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}}",
          "apis/batch/v1/namespaces/{ns}/cronjobs", null,
          "Name|Schedule|Suspend|Active|Last Schedule|Age|*Containers|*Images|*Selector", "nightly|0 3 * * *|False|0|<none>|<age>|c|busybox|<none>" },
        { "ingress", "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ing}\nspec: {tls: [{hosts: [a.example]}], rules: [{host: a.example}, {host: b.example}]}",
          "apis/networking.k8s.io/v1/namespaces/{ns}/ingresses", null,
          "Name|Class|Hosts|Address|Ports|Age", "ing|<none>|a.example,b.example||80, 443|<age>" },
        { "networkpolicy", "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec: {podSelector: {}}",
          "apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies", null,
          "Name|Pod-Selector|Age", "np|<none>|<age>" },
        { "pdb", "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: pdb}\nspec: {minAvailable: 50%, selector: {matchLabels: {app: w}}}",
          "apis/policy/v1/namespaces/{ns}/poddisruptionbudgets", null,
          "Name|Min Available|Max Unavailable|Allowed Disruptions|Age", "pdb|50%|N/A|0|<age>" },
        { "rolebinding", "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects: [{kind: User, name: ann, apiGroup: rbac.authorization.k8s.io}, {kind: ServiceAccount, name: robot, namespace: ops}, {kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}]",
          "apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", null,
          "Name|Role|Age|*Users|*Groups|*ServiceAccounts", "rb|ClusterRole/view|<age>|ann, bob||ops/robot" },
        { "role", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: reader}\nrules: []",
          "apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", null,
          "Name|Created At", "reader|<time>" },
        { "lease", "apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {name: leader}\nspec: {holderIdentity: pod-a}",
          "apis/coordination.k8s.io/v1/namespaces/{ns}/leases", null,
          "Name|Holder|Age", "leader|pod-a|<age>" },
    };

    [Theory]
    [MemberData(nameof(Tables_TestData))]
    public async Task GetTable_BuiltinKind_PrintsApiserverColumns(string caseName, string manifest, string path, string? waitFor, string columns, string cells)
    {
        if (waitFor is not null && target.IsRealCluster) return; // these cells read status the sandbox's controllers simulate
        var ns = await target.NewNamespaceAsync("table");
        var collection = path.Replace("{ns}", ns, StringComparison.Ordinal);
        // A real cluster's controllers may have put objects of their own there (a root CA ConfigMap).
        var theirs = RowNames(await GetTableAsync(collection));
        await Kubectl.OkWithInputAsync(target, manifest, "apply", "-n", ns, "-f", "-");
        if (waitFor is not null) await Kubectl.OkAsync(target, ["wait", "-n", ns, "--timeout=60s", .. waitFor.Split(' ')]);

        var table = await GetTableAsync(collection);

        var definitions = table["columnDefinitions"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.Equal(columns, string.Join("|", definitions.Select(c => ((int)c["priority"]! == 1 ? "*" : "") + (string?)c["name"])));
        Assert.All(definitions, c => Assert.False(string.IsNullOrEmpty((string?)c["description"]), $"{caseName}: {c["name"]} has no description"));
        var row = Assert.Single(table["rows"]!.AsArray(), r => !theirs.Contains(NameOf(r!)))!["cells"]!.AsArray();
        var expected = "^" + string.Join(@"\|", cells.Split('|').Select(Pattern)) + "$";
        Assert.Matches(expected, string.Join("|", row.Select(c => c?.ToString() ?? "<null>")));
    }

    [Fact]
    public async Task GetTable_Deployment_CellTypesMatchPrinter()
    {
        var ns = await target.NewNamespaceAsync("table");
        await Kubectl.OkWithInputAsync(target, $"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec: {{replicas: 0, selector: {{matchLabels: {{app: w}}}}, {Template}}}", "apply", "-n", ns, "-f", "-");

        var table = await GetTableAsync($"apis/apps/v1/namespaces/{ns}/deployments/web");

        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("0/0", (string?)cells[1]);
        Assert.Equal(System.Text.Json.JsonValueKind.Number, cells[2]!.GetValueKind());
        Assert.Equal("name", (string?)table["columnDefinitions"]![0]!["format"]);
        Assert.StartsWith("Name must be unique within a namespace. Is required when creating resources", (string?)table["columnDefinitions"]![0]!["description"]);
    }

    private static string Pattern(string cell) => cell switch
    {
        "<age>" => @"\d+[smhdy][\dsmhd]*",
        "<time>" => @"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
        "<ip>" => @"[\d.:a-f]+",
        _ => Regex.Escape(cell).Replace("<port>", @"\d+").Replace("<uid>", "[-0-9a-f]+"),
    };

    /// <summary>The Name cell, every printer's first column.</summary>
    private static string NameOf(JsonNode row) => (string?)row["cells"]![0] ?? "";

    /// <summary>The Name cells of a Table (whose rows kube-apiserver's default convertor leaves null when there are none).</summary>
    private static HashSet<string> RowNames(JsonObject table) => [.. (table["rows"] as JsonArray ?? []).Select(r => NameOf(r!))];

    private async Task<JsonObject> GetTableAsync(string path)
    {
        var (code, body, _) = await Conform.RawAsync(target.Client, HttpMethod.Get, path, accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        Assert.True((int)code == 200, body);
        return JsonNode.Parse(body)!.AsObject();
    }
}
