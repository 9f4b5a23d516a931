using System.Text.Json.Nodes;
using GitOps.Sandbox.Admission;
using GitOps.Sandbox.Store;
using static GitOps.Sandbox.Api.Tables.Cells;

namespace GitOps.Sandbox.Api.Tables;

/// <summary>
/// The `kubectl get` printers of kube-apiserver 1.26 (pkg/printers/internalversion/printers.go, AddHandlers),
/// one entry per kind. A built-in kind missing here gets the default table convertor (Name, Created At).
/// </summary>
public static class BuiltinPrinters
{
    private const string Core = "io.k8s.api.core.v1.";
    private const string Apps = "io.k8s.api.apps.v1.";
    private const string Batch = "io.k8s.api.batch.v1.";

    private static readonly TableColumn NameColumn = new("Name", "string", Docs.Meta("name"), Format: "name");
    private static readonly TableColumn AgeColumn = new("Age", "string", Docs.Meta("creationTimestamp"));
    private static readonly TableColumn ContainersColumn = new("Containers", "string", "Names of each container in the template.", 1);
    private static readonly TableColumn ImagesColumn = new("Images", "string", "Images referenced by each container in the template.", 1);

    private static TableColumn Col(string name, string type, string schema, string property, int priority = 0) =>
        new(name, type, Docs.Of(schema, property), priority);

    private static readonly Dictionary<(string Group, string Kind), BuiltinPrinter> Printers = new()
    {
        [("", "ConfigMap")] = new(
            [NameColumn, Col("Data", "string", Core + "ConfigMap", "data"), AgeColumn],
            c => [Name(c), (long)(Count(c.Obj, "data") + Count(c.Obj, "binaryData")), Age(c)]),
        [("", "Secret")] = new(
            [NameColumn, Col("Type", "string", Core + "Secret", "type"), Col("Data", "string", Core + "Secret", "data"), AgeColumn],
            c => [Name(c), Str(c.Obj, "type"), (long)Count(c.Obj, "data"), Age(c)]),
        [("", "Namespace")] = new(
            [NameColumn, new("Status", "string", "The status of the namespace"), AgeColumn],
            c => [Name(c), Str(c.Obj, "status", "phase"), Age(c)]),
        [("", "ServiceAccount")] = new(
            [NameColumn, Col("Secrets", "string", Core + "ServiceAccount", "secrets"), AgeColumn],
            c => [Name(c), (long)Count(c.Obj, "secrets"), Age(c)]),
        [("", "Service")] = new(
            [NameColumn, Col("Type", "string", Core + "ServiceSpec", "type"), Col("Cluster-IP", "string", Core + "ServiceSpec", "clusterIP"),
             Col("External-IP", "string", Core + "ServiceSpec", "externalIPs"), Col("Port(s)", "string", Core + "ServiceSpec", "ports"), AgeColumn,
             Col("Selector", "string", Core + "ServiceSpec", "selector", 1)],
            PrintService),
        [("", "Endpoints")] = new(
            [NameColumn, Col("Endpoints", "string", Core + "Endpoints", "subsets"), AgeColumn],
            c => [Name(c), FormatEndpoints(c.Obj), Age(c)]),
        [("", "PersistentVolumeClaim")] = new(
            [NameColumn, Col("Status", "string", Core + "PersistentVolumeClaimStatus", "phase"), Col("Volume", "string", Core + "PersistentVolumeClaimSpec", "volumeName"),
             Col("Capacity", "string", Core + "PersistentVolumeClaimStatus", "capacity"), Col("Access Modes", "string", Core + "PersistentVolumeClaimStatus", "accessModes"),
             new("StorageClass", "string", "StorageClass of the pvc"), AgeColumn, Col("VolumeMode", "string", Core + "PersistentVolumeClaimSpec", "volumeMode", 1)],
            PrintPersistentVolumeClaim),
        [("", "Event")] = new(
            [Col("Last Seen", "string", Core + "Event", "lastTimestamp"), Col("Type", "string", Core + "Event", "type"), Col("Reason", "string", Core + "Event", "reason"),
             Col("Object", "string", Core + "Event", "involvedObject"), Col("Subobject", "string", Core + "ObjectReference", "fieldPath", 1),
             Col("Source", "string", Core + "Event", "source", 1), Col("Message", "string", Core + "Event", "message"),
             Col("First Seen", "string", Core + "Event", "firstTimestamp", 1), Col("Count", "string", Core + "Event", "count", 1), NameColumn with { Priority = 1 }],
            PrintEvent),
        [("apps", "Deployment")] = new(
            [NameColumn, new("Ready", "string", "Number of the pod with ready state"), Col("Up-to-date", "string", Apps + "DeploymentStatus", "updatedReplicas"),
             Col("Available", "string", Apps + "DeploymentStatus", "availableReplicas"), AgeColumn, ContainersColumn, ImagesColumn,
             Col("Selector", "string", Apps + "DeploymentSpec", "selector", 1)],
            c => [Name(c), $"{Int(c.Obj, "status", "readyReplicas")}/{Int(c.Obj, "spec", "replicas")}", Int(c.Obj, "status", "updatedReplicas"),
                  Int(c.Obj, "status", "availableReplicas"), Age(c), .. Template(At(c.Obj, "spec")), Selector(At(c.Obj, "spec", "selector"))]),
        [("apps", "ReplicaSet")] = new(
            [NameColumn, Col("Desired", "integer", Apps + "ReplicaSetSpec", "replicas"), Col("Current", "integer", Apps + "ReplicaSetStatus", "replicas"),
             Col("Ready", "integer", Apps + "ReplicaSetStatus", "readyReplicas"), AgeColumn, ContainersColumn, ImagesColumn,
             Col("Selector", "string", Apps + "ReplicaSetSpec", "selector", 1)],
            c => [Name(c), Int(c.Obj, "spec", "replicas"), Int(c.Obj, "status", "replicas"), Int(c.Obj, "status", "readyReplicas"), Age(c),
                  .. Template(At(c.Obj, "spec")), FormatSelector(At(c.Obj, "spec", "selector"))]),
        [("apps", "StatefulSet")] = new(
            [NameColumn, new("Ready", "string", "Number of the pod with ready state"), AgeColumn, ContainersColumn, ImagesColumn],
            c => [Name(c), $"{Int(c.Obj, "status", "readyReplicas")}/{Int(c.Obj, "spec", "replicas")}", Age(c), .. Template(At(c.Obj, "spec"))]),
        [("apps", "DaemonSet")] = new(
            [NameColumn, Col("Desired", "integer", Apps + "DaemonSetStatus", "desiredNumberScheduled"), Col("Current", "integer", Apps + "DaemonSetStatus", "currentNumberScheduled"),
             Col("Ready", "integer", Apps + "DaemonSetStatus", "numberReady"), Col("Up-to-date", "integer", Apps + "DaemonSetStatus", "updatedNumberScheduled"),
             Col("Available", "integer", Apps + "DaemonSetStatus", "numberAvailable"), Col("Node Selector", "string", Core + "PodSpec", "nodeSelector"), AgeColumn,
             ContainersColumn, ImagesColumn, Col("Selector", "string", Apps + "DaemonSetSpec", "selector", 1)],
            c => [Name(c), Int(c.Obj, "status", "desiredNumberScheduled"), Int(c.Obj, "status", "currentNumberScheduled"), Int(c.Obj, "status", "numberReady"),
                  Int(c.Obj, "status", "updatedNumberScheduled"), Int(c.Obj, "status", "numberAvailable"), Labels(At(c.Obj, "spec", "template", "spec", "nodeSelector")),
                  Age(c), .. Template(At(c.Obj, "spec")), FormatSelector(At(c.Obj, "spec", "selector"))]),
        [("apps", "ControllerRevision")] = new(
            [NameColumn, new("Controller", "string", "Controller of the object"), Col("Revision", "string", Apps + "ControllerRevision", "revision"), AgeColumn],
            c => [Name(c), ControllerOf(c.Obj), Int(c.Obj, "revision"), Age(c)]),
        [("batch", "Job")] = new(
            [NameColumn, Col("Completions", "string", Batch + "JobStatus", "succeeded"), new("Duration", "string", "Time required to complete the job."), AgeColumn,
             ContainersColumn, ImagesColumn, Col("Selector", "string", Batch + "JobSpec", "selector", 1)],
            PrintJob),
        [("batch", "CronJob")] = new(
            [NameColumn, Col("Schedule", "string", Batch + "CronJobSpec", "schedule"), Col("Suspend", "boolean", Batch + "CronJobSpec", "suspend"),
             Col("Active", "integer", Batch + "CronJobStatus", "active"), Col("Last Schedule", "string", Batch + "CronJobStatus", "lastScheduleTime"), AgeColumn,
             ContainersColumn, ImagesColumn, Col("Selector", "string", Batch + "JobSpec", "selector", 1)],
            c => [Name(c), Str(c.Obj, "spec", "schedule"), BoolPtr(At(c.Obj, "spec", "suspend")), (long)Count(c.Obj, "status", "active"),
                  At(c.Obj, "status", "lastScheduleTime") is null ? "<none>" : Since(c.Now, Time(c.Obj, "status", "lastScheduleTime")), Age(c),
                  .. Template(At(c.Obj, "spec", "jobTemplate", "spec")),
                  FormatSelector(At(c.Obj, "spec", "jobTemplate", "spec", "selector"))]),
        [("networking.k8s.io", "Ingress")] = new(
            [NameColumn, new("Class", "string", "The name of the IngressClass resource that should be used for additional configuration"),
             new("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
             new("Address", "string", "Address is a list containing ingress points for the load-balancer"),
             new("Ports", "string", "Ports of TLS configurations that open"), AgeColumn],
            c => [Name(c), At(c.Obj, "spec", "ingressClassName") is null ? "<none>" : Str(c.Obj, "spec", "ingressClassName"), Hosts(c.Obj),
                  LoadBalancer(At(c.Obj, "status", "loadBalancer", "ingress")), Count(c.Obj, "spec", "tls") > 0 ? "80, 443" : "80", Age(c)]),
        [("networking.k8s.io", "NetworkPolicy")] = new(
            [NameColumn, Col("Pod-Selector", "string", "io.k8s.api.networking.v1.NetworkPolicySpec", "podSelector"), AgeColumn],
            c => [Name(c), FormatSelector(At(c.Obj, "spec", "podSelector")), Age(c)]),
        [("policy", "PodDisruptionBudget")] = new(
            [NameColumn, new("Min Available", "string", "The minimum number of pods that must be available."),
             new("Max Unavailable", "string", "The maximum number of pods that may be unavailable."),
             new("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."), AgeColumn],
            c => [Name(c), At(c.Obj, "spec", "minAvailable") is { } min ? IntOrString(min) : "N/A",
                  At(c.Obj, "spec", "maxUnavailable") is { } max ? IntOrString(max) : "N/A", Int(c.Obj, "status", "disruptionsAllowed"), Age(c)]),
        [("rbac.authorization.k8s.io", "RoleBinding")] = Binding("roleBinding"),
        [("rbac.authorization.k8s.io", "ClusterRoleBinding")] = Binding("clusterRoleBinding"),
        [("coordination.k8s.io", "Lease")] = new(
            [NameColumn, Col("Holder", "string", "io.k8s.api.coordination.v1.LeaseSpec", "holderIdentity"), AgeColumn],
            c => [Name(c), At(c.Obj, "spec", "holderIdentity") is null ? "<unknown>" : Str(c.Obj, "spec", "holderIdentity"), Age(c)]),
    };

    /// <summary>The printer of a built-in kind, or null when kube-apiserver has none (it then prints Name and Created At).</summary>
    public static BuiltinPrinter? For(ResourceType type) => Printers.GetValueOrDefault((type.Group, type.Kind));

    /// <summary>The CONTAINERS and IMAGES cells of the pod template under a workload's spec.</summary>
    private static object[] Template(JsonNode? spec)
    {
        var (names, images) = Containers(At(spec, "template", "spec"));
        return [names, images];
    }

    private static object?[] PrintService(PrintContext c)
    {
        var spec = At(c.Obj, "spec");
        var clusterIp = At(spec, "clusterIPs") is JsonArray { Count: > 0 } ips ? ips[0]!.ToString() : "<none>";
        var ports = string.Join(",", Json.Objects(At(spec, "ports") as JsonArray).Select(p =>
            Int(p, "nodePort") > 0 ? $"{Int(p, "port")}:{Int(p, "nodePort")}/{Str(p, "protocol")}" : $"{Int(p, "port")}/{Str(p, "protocol")}"));
        return [Name(c), Str(spec, "type"), clusterIp, ExternalIp(c.Obj), ports.Length == 0 ? "<none>" : ports, Age(c), Labels(At(spec, "selector"))];
    }

    /// <summary>getServiceExternalIP with wide output (the server always prints wide, so nothing is clipped).</summary>
    private static string ExternalIp(JsonObject svc)
    {
        var external = (At(svc, "spec", "externalIPs") as JsonArray ?? []).Select(x => x?.ToString() ?? "").ToList();
        switch (Str(svc, "spec", "type"))
        {
            case "ClusterIP" or "NodePort":
                return external.Count > 0 ? string.Join(",", external) : "<none>";
            case "LoadBalancer":
                var lb = LoadBalancer(At(svc, "status", "loadBalancer", "ingress"));
                if (external.Count > 0) return string.Join(",", (lb.Length > 0 ? lb.Split(',') : []).Concat(external));
                return lb.Length > 0 ? lb : "<pending>";
            case "ExternalName":
                return Str(svc, "spec", "externalName");
            default:
                return "<unknown>";
        }
    }

    /// <summary>loadBalancerStatusStringer: the sorted, distinct IPs (or hostnames) of the ingress points.</summary>
    private static string LoadBalancer(JsonNode? ingress) =>
        string.Join(",", Json.Objects(ingress as JsonArray)
            .Select(i => Str(i, "ip") is { Length: > 0 } ip ? ip : Str(i, "hostname"))
            .Where(s => s.Length > 0).Distinct().Order(StringComparer.Ordinal));

    /// <summary>formatHosts: up to three rule hosts, "*" when none.</summary>
    private static string Hosts(JsonObject ingress)
    {
        var rules = Json.Objects(At(ingress, "spec", "rules") as JsonArray).ToList();
        var hosts = rules.Select(r => Str(r, "host")).Where(h => h.Length > 0).Take(3).ToList();
        if (hosts.Count == 0) return "*";
        var text = string.Join(",", hosts);
        return rules.Count > 3 ? $"{text} + {rules.Count - 3} more..." : text;
    }

    /// <summary>formatEndpoints: up to three ip:port pairs, "&lt;none&gt;" without subsets.</summary>
    private static string FormatEndpoints(JsonObject endpoints)
    {
        var subsets = Json.Objects(At(endpoints, "subsets") as JsonArray).ToList();
        if (subsets.Count == 0) return "<none>";
        var all = new List<string>();
        foreach (var ss in subsets)
        {
            var addresses = Json.Objects(At(ss, "addresses") as JsonArray).Select(a => Str(a, "ip")).ToList();
            var ports = Json.Objects(At(ss, "ports") as JsonArray).ToList();
            if (ports.Count == 0) all.AddRange(addresses);
            else foreach (var p in ports) all.AddRange(addresses.Select(ip => (ip.Contains(':') ? $"[{ip}]" : ip) + ":" + Int(p, "port")));
        }
        var text = string.Join(",", all.Take(3));
        return all.Count > 3 ? $"{text} + {all.Count - 3} more..." : text;
    }

    private static object?[] PrintPersistentVolumeClaim(PrintContext c)
    {
        var bound = Str(c.Obj, "spec", "volumeName").Length > 0;
        var phase = ObjectMeta.IsDeleting(c.Obj) ? "Terminating" : Str(c.Obj, "status", "phase");
        var storageClass = ObjectMeta.Meta(c.Obj)["annotations"]?["volume.beta.kubernetes.io/storage-class"] is { } beta
            ? beta.ToString() : Str(c.Obj, "spec", "storageClassName");
        return [Name(c), phase, Str(c.Obj, "spec", "volumeName"), bound ? Str(c.Obj, "status", "capacity", "storage") : "",
                bound ? AccessModes(At(c.Obj, "status", "accessModes")) : "", storageClass, Age(c),
                At(c.Obj, "spec", "volumeMode") is null ? "<unset>" : Str(c.Obj, "spec", "volumeMode")];
    }

    private static object?[] PrintEvent(PrintContext c)
    {
        var o = c.Obj;
        var first = At(o, "firstTimestamp") is not null ? Since(c.Now, Time(o, "firstTimestamp")) : Since(c.Now, Time(o, "eventTime"));
        var last = At(o, "lastTimestamp") is not null ? Since(c.Now, Time(o, "lastTimestamp")) : first;
        var count = Int(o, "count");
        if (At(o, "series") is not null)
        {
            last = Since(c.Now, Time(o, "series", "lastObservedTime"));
            count = Int(o, "series", "count");
        }
        else if (count == 0) count = 1;
        var kind = Str(o, "involvedObject", "kind").ToLowerInvariant();
        var name = Str(o, "involvedObject", "name");
        var component = Str(o, "source", "component") is { Length: > 0 } sc ? sc : Str(o, "reportingComponent");
        var instance = Str(o, "source", "host") is { Length: > 0 } sh ? sh : Str(o, "reportingInstance");
        return [last, Str(o, "type"), Str(o, "reason"), name.Length > 0 ? $"{kind}/{name}" : kind, Str(o, "involvedObject", "fieldPath"),
                instance.Length == 0 ? component : component + ", " + instance, Str(o, "message").Trim(), first, count, Name(c)];
    }

    private static object?[] PrintJob(PrintContext c)
    {
        var o = c.Obj;
        var succeeded = Int(o, "status", "succeeded");
        var parallelism = Int(o, "spec", "parallelism");
        var completions = At(o, "spec", "completions") is not null ? $"{succeeded}/{Int(o, "spec", "completions")}"
            : parallelism > 1 ? $"{succeeded}/1 of {parallelism}" : $"{succeeded}/1";
        var start = Time(o, "status", "startTime");
        var duration = start is null ? "" : TableConverter.HumanDuration((Time(o, "status", "completionTime") ?? c.Now) - start.Value);
        return [Name(c), completions, duration, Age(c), .. Template(At(o, "spec")), FormatSelector(At(o, "spec", "selector"))];
    }

    /// <summary>printControllerRevision: the controlling owner as kind.group/name, "&lt;none&gt;" without one.</summary>
    private static string ControllerOf(JsonObject obj)
    {
        var owner = Json.Objects(ObjectMeta.Meta(obj)["ownerReferences"] as JsonArray).FirstOrDefault(r => Json.Bool(r, "controller") == true);
        if (owner is null) return "<none>";
        var apiVersion = Str(owner, "apiVersion");
        var group = apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "";
        return Str(owner, "kind").ToLowerInvariant() + (group.Length > 0 ? "." + group : "") + "/" + Str(owner, "name");
    }

    private static BuiltinPrinter Binding(string noun) => new(
        [NameColumn, Col("Role", "string", "io.k8s.api.rbac.v1." + char.ToUpperInvariant(noun[0]) + noun[1..], "roleRef"), AgeColumn,
         new("Users", "string", $"Users in the {noun}", 1), new("Groups", "string", $"Groups in the {noun}", 1),
         new("ServiceAccounts", "string", $"ServiceAccounts in the {noun}", 1)],
        c =>
        {
            var subjects = Json.Objects(At(c.Obj, "subjects") as JsonArray).ToList();
            string Of(string kind, Func<JsonObject, string> text) => string.Join(", ", subjects.Where(s => Str(s, "kind") == kind).Select(text));
            return [Name(c), $"{Str(c.Obj, "roleRef", "kind")}/{Str(c.Obj, "roleRef", "name")}", Age(c),
                    Of("User", s => Str(s, "name")), Of("Group", s => Str(s, "name")), Of("ServiceAccount", s => Str(s, "namespace") + "/" + Str(s, "name"))];
        });
}
