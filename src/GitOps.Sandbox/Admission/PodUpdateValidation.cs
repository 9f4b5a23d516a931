using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Admission;

/// <summary>
/// ValidatePodUpdate of kube-apiserver 1.26: a pod may change only its containers' images,
/// activeDeadlineSeconds (set, or lowered), its tolerations (only additions, and tolerationSeconds)
/// and a negative terminationGracePeriodSeconds to 1.
/// </summary>
internal static class PodUpdateValidation
{
    private const string Message = "pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations) or `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    public static IReadOnlyList<StatusCause> Validate(JsonObject spec, JsonObject oldSpec)
    {
        var errs = new List<StatusCause>();
        foreach (var list in new[] { "containers", "initContainers" })
        {
            var containers = Json.Arr(spec, list) ?? [];
            if (containers.Count != (Json.Arr(oldSpec, list)?.Count ?? 0))
            {
                errs.Add(FieldErrors.Forbidden($"spec.{list}", "pod updates may not add or remove containers"));
                return errs;
            }
            for (var i = 0; i < containers.Count; i++)
            {
                var image = Json.Str(containers[i], "image") ?? "";
                if (image.Length == 0) errs.Add(FieldErrors.Required($"spec.{list}[{i}].image"));
                if (image.Trim().Length != image.Length) errs.Add(FieldErrors.InvalidString($"spec.{list}[{i}].image", image, "must not have leading or trailing whitespace"));
            }
        }
        var deadline = Json.Long(spec, "activeDeadlineSeconds");
        var oldDeadline = Json.Long(oldSpec, "activeDeadlineSeconds");
        if (deadline is { } d)
        {
            if (d is < 0 or > int.MaxValue)
            {
                errs.Add(FieldErrors.Invalid("spec.activeDeadlineSeconds", $"{d}", $"must be between 0 and {int.MaxValue}, inclusive"));
                return errs;
            }
            if (oldDeadline < d)
            {
                errs.Add(FieldErrors.Invalid("spec.activeDeadlineSeconds", $"{d}", "must be less than or equal to previous value"));
                return errs;
            }
        }
        else if (oldDeadline is not null) errs.Add(FieldErrors.Invalid("spec.activeDeadlineSeconds", GoValues.Nil, "must not update from a positive integer to nil value"));
        if (!OnlyAddedTolerations(Json.Arr(spec, "tolerations"), Json.Arr(oldSpec, "tolerations")))
            errs.Add(FieldErrors.Forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"));
        if (Semantic.Equal(spec, oldSpec)) return errs;

        var munged = (JsonObject)spec.DeepClone();
        foreach (var list in new[] { "containers", "initContainers" })
        {
            var oldContainers = Json.Arr(oldSpec, list) ?? [];
            var i = 0;
            foreach (var c in Json.Objects(Json.Arr(munged, list)))
            {
                if (oldContainers[i++]?["image"] is { } image) c["image"] = image.DeepClone();
                else c.Remove("image");
            }
        }
        Semantic.Copy(oldSpec, munged, "activeDeadlineSeconds");
        Semantic.Copy(oldSpec, munged, "tolerations");
        if (Json.Long(oldSpec, "terminationGracePeriodSeconds") < 0 && Json.Long(munged, "terminationGracePeriodSeconds") == 1)
            Semantic.Copy(oldSpec, munged, "terminationGracePeriodSeconds");
        if (!Semantic.Equal(munged, oldSpec))
            errs.Add(FieldErrors.Forbidden("spec", Message + "\n" + SpecDiff.Render("core.PodSpec", GoValues.Types.PodSpecFields, oldSpec, munged)));
        return errs;
    }

    /// <summary>validateOnlyAddedTolerations: every old toleration is still there, tolerationSeconds aside.</summary>
    private static bool OnlyAddedTolerations(JsonArray? tolerations, JsonArray? oldTolerations)
    {
        static JsonObject? WithoutSeconds(JsonNode? t) => Semantic.Without(t as JsonObject, ["tolerationSeconds"]);
        return Json.Objects(oldTolerations).All(old => Json.Objects(tolerations).Any(t => Semantic.Equal(WithoutSeconds(old), WithoutSeconds(t))));
    }

}
