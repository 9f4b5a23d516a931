using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Engine.Normalize;

/// <summary>
/// Folds a v1 Secret's write-only <c>stringData</c> into base64 <c>data</c> (a stringData key wins,
/// as on the API server), so a Secret written with stringData matches the live one.
/// </summary>
// xref: argoproj/argo-cd#763 — "Out of sync reported if Secrets with stringData are used".
public sealed class SecretStringData : InPlaceNormalizer
{
    protected internal override void NormalizeInPlace(JsonObject obj)
    {
        if (obj["kind"]?.ToString() != "Secret" || obj["apiVersion"]?.ToString() != "v1") return;
        if (obj["stringData"] is not JsonObject stringData)
        {
            obj.Remove("stringData");
            return;
        }

        if (obj["data"] is not JsonObject data)
        {
            data = [];
            obj["data"] = data;
        }

        foreach (var (k, v) in stringData)
        {
            var text = v is JsonValue value && value.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? "";
            data[k] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        }

        obj.Remove("stringData");
    }
}
