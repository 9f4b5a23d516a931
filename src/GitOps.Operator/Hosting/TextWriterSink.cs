using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace GitOps.Operator.Hosting;

/// <summary>Writes every log event to a TextWriter (a copy of the logs, for tests).</summary>
internal sealed class TextWriterSink(ITextFormatter formatter, TextWriter writer) : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        lock (writer) formatter.Format(logEvent, writer);
    }
}
