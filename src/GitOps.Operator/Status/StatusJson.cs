using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GitOps.Operator.Status;

/// <summary>How status is spelled in JSON: camelCase, nulls left out, times as RFC 3339 seconds in UTC (as Kubernetes writes them).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(KubeTimeConverter)])]
[JsonSerializable(typeof(ApplicationStatus))]
internal sealed partial class StatusJson : JsonSerializerContext;

/// <summary><c>2026-12-06T06:18:19Z</c>, as metav1.Time is written.</summary>
public sealed class KubeTimeConverter : JsonConverter<DateTimeOffset>
{
    public static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? throw new JsonException("a time is null"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(Format(value));
}
