using Serilog.Core;
using Serilog.Events;

namespace GitOps.Operator.Hosting;

/// <summary>
/// Gives text logs a readable <c>[namespace/name@revision]</c> prefix built from the scope
/// properties the controller sets (<c>application</c>, <c>revision</c>); JSON logs carry those
/// properties themselves.
/// </summary>
internal sealed class AppTagEnricher : ILogEventEnricher
{
    public const string TextTemplate = "{Timestamp:HH:mm:ss} {Level:u3} {AppTag}{Message:lj}{NewLine}{Exception}";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        var tag = "";
        if (logEvent.Properties.TryGetValue("application", out var app) && app is ScalarValue { Value: string name })
        {
            tag = logEvent.Properties.TryGetValue("revision", out var rev) && rev is ScalarValue { Value: string revision } && revision.Length > 0
                ? $"[{name}@{revision}] "
                : $"[{name}] ";
        }
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("AppTag", tag));
    }
}
