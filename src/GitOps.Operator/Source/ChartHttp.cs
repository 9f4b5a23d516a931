using System.Net.Http.Headers;
using System.Text;

namespace GitOps.Operator.Source;

/// <summary>What fetching charts over HTTP shares, for Helm repositories and OCI registries alike.</summary>
internal static class ChartHttp
{
    /// <summary>Sends a request; a connection failure or a timeout becomes a <see cref="SourceException"/> naming <paramref name="shown"/>.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string shown, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            throw new SourceException(SourceFailureReason.Unreachable, $"{shown}: {UrlRedactor.Redact(e.Message)}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new SourceException(SourceFailureReason.Timeout, $"{shown}: the server did not answer in time");
        }
    }

    /// <summary>The body, refused once it grows past <paramref name="max"/> bytes.</summary>
    public static async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, long max, string shown, Uri uri, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max) throw new SourceException(SourceFailureReason.FetchFailed, $"{shown}: {uri.AbsolutePath} is larger than {max} bytes");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Basic (username and password) or bearer-token authorization from repository credentials; null without them.</summary>
    public static AuthenticationHeaderValue? Authorization(RepoCredentials? credentials) =>
        credentials?.Username is { } user ? Basic(user, credentials.Password)
        : credentials?.BearerToken is { } token ? new AuthenticationHeaderValue("Bearer", token)
        : null;

    public static AuthenticationHeaderValue Basic(string user, string? password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>Same scheme, host and port: where a repository's credentials may be sent.</summary>
    public static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
}
