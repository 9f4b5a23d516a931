using System.Text.Json;
using System.Text.Json.Serialization;

namespace GitOps.Operator.Applications;

/// <summary>
/// How spec fields are read from JSON (camelCase, numbers also from strings), source-generated so no reflection is
/// needed at run time (Native AOT). A property with a default is <c>set</c>, not <c>init</c>: the generator passes
/// every init-only property when it constructs the object, so one absent from the JSON would lose its default.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ApplicationSpec))]
internal sealed partial class SpecJson : JsonSerializerContext;
