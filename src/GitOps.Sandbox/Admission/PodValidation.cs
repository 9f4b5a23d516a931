using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>Pod spec validation: containers (name, image, ports), restart and DNS policies.</summary>
internal static class PodValidation
{
    public static IEnumerable<StatusCause> Template(JsonObject? template, string path)
    {
        var errs = new List<StatusCause>();
        if (template is null) { errs.Add(FieldErrors.Required(path)); return errs; }
        errs.AddRange(MetadataValidation.TemplateMeta(Json.Obj(template, "metadata"), path + ".metadata"));
        errs.AddRange(PodSpec(Json.Obj(template, "spec") ?? [], path + ".spec", isPod: false));
        return errs;
    }

    public static IEnumerable<StatusCause> PodSpec(JsonObject spec, string path, bool isPod)
    {
        var errs = new List<StatusCause>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        errs.AddRange(Containers(Json.Arr(spec, "initContainers"), path + ".initContainers", names, required: false));
        errs.AddRange(Containers(Json.Arr(spec, "containers"), path + ".containers", names, required: true));
        var restart = Json.Str(spec, "restartPolicy") ?? "";
        if (restart.Length == 0) errs.Add(FieldErrors.Required(path + ".restartPolicy"));
        else if (restart is not ("Always" or "OnFailure" or "Never"))
            errs.Add(FieldErrors.NotSupported(path + ".restartPolicy", GoFormat.Quote(restart), ["Always", "OnFailure", "Never"]));
        var dns = Json.Str(spec, "dnsPolicy") ?? "";
        if (dns.Length == 0) errs.Add(FieldErrors.Required(path + ".dnsPolicy"));
        else if (dns is not ("ClusterFirstWithHostNet" or "ClusterFirst" or "Default" or "None"))
            errs.Add(FieldErrors.NotSupported(path + ".dnsPolicy", GoFormat.Quote(dns), ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]));
        _ = isPod;
        return errs;
    }

    private static IEnumerable<StatusCause> Containers(JsonArray? containers, string path, HashSet<string> names, bool required)
    {
        if (containers is not { Count: > 0 })
        {
            if (required) yield return FieldErrors.Required(path);
            yield break;
        }
        for (var i = 0; i < containers.Count; i++)
        {
            var c = containers[i] as JsonObject ?? [];
            var p = $"{path}[{i}]";
            var name = Json.Str(c, "name") ?? "";
            if (name.Length == 0) yield return FieldErrors.Required(p + ".name");
            else foreach (var m in NameRules.IsDns1123Label(name)) yield return FieldErrors.InvalidString(p + ".name", name, m);
            var image = Json.Str(c, "image") ?? "";
            if (image.Length == 0) yield return FieldErrors.Required(p + ".image");
            else if (image.Trim().Length != image.Length) yield return FieldErrors.InvalidString(p + ".image", image, "must not have leading or trailing whitespace");
            var j = 0;
            foreach (var port in Json.Objects(Json.Arr(c, "ports")))
            {
                var pp = $"{p}.ports[{j++}]";
                var cp = Json.Long(port, "containerPort") ?? 0;
                if (cp == 0) yield return FieldErrors.Required(pp + ".containerPort");
                else if (cp is < 1 or > 65535) yield return FieldErrors.Invalid(pp + ".containerPort", $"{cp}", "must be between 1 and 65535, inclusive");
                var protocol = Json.Str(port, "protocol") ?? "";
                if (protocol.Length == 0) yield return FieldErrors.Required(pp + ".protocol");
                else if (protocol is not ("TCP" or "UDP" or "SCTP"))
                    yield return FieldErrors.NotSupported(pp + ".protocol", GoFormat.Quote(protocol), ["SCTP", "TCP", "UDP"]);
            }
            if (name.Length > 0 && !names.Add(name)) yield return FieldErrors.Duplicate(p + ".name", GoFormat.Quote(name));
        }
    }
}
