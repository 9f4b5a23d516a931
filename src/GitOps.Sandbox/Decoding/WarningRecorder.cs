using System.Text;
using Microsoft.AspNetCore.Http;

namespace GitOps.Sandbox.Decoding;

/// <summary>
/// The warnings of one request, sent as <c>Warning: 299 - "text"</c> headers (one value per
/// warning, each text once) on whatever response the request gets, as kube-apiserver's
/// warning recorder does.
/// </summary>
public sealed class WarningRecorder
{
    private readonly List<string> _texts = [];

    public IReadOnlyList<string> Texts => _texts;

    public void Add(string text)
    {
        lock (_texts)
            if (!_texts.Contains(text, StringComparer.Ordinal)) _texts.Add(text);
    }

    public void AddRange(IEnumerable<string> texts)
    {
        foreach (var t in texts) Add(t);
    }

    /// <summary>Adds the headers when the response starts (success or Status alike).</summary>
    public void AttachTo(HttpResponse response) => response.OnStarting(() =>
    {
        lock (_texts)
            foreach (var t in _texts) response.Headers.Append("Warning", HeaderValue(t));
        return Task.CompletedTask;
    });

    /// <summary>apimachinery's NewWarningHeader: code 299, agent "-", the text as an RFC 7230 quoted-string.</summary>
    public static string HeaderValue(string text)
    {
        var sb = new StringBuilder("299 - \"", text.Length + 9);
        foreach (var c in text)
        {
            if (c is '"' or '\\') sb.Append('\\');
            sb.Append(c);
        }
        return sb.Append('"').ToString();
    }
}
