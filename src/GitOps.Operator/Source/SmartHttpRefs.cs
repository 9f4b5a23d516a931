using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace GitOps.Operator.Source;

/// <summary>
/// <c>git ls-remote</c> over smart HTTP with any request header: one <c>GET info/refs?service=git-upload-pack</c>
/// (protocol v0 advertisement). Used when a bearer token must go in an <c>Authorization</c> header,
/// which libgit2's ref listing cannot send.
/// </summary>
internal static class SmartHttpRefs
{
    private const string ZeroSha = "0000000000000000000000000000000000000000";

    public static async Task<RemoteRefs> ListAsync(HttpClient client, RepoUrl url, RepoCredentials credentials, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url.TransportUrl.TrimEnd('/') + "/info/refs?service=git-upload-pack");
        if (credentials.BearerToken is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (credentials.HasBasic)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));
        }

        request.Headers.UserAgent.ParseAdd("git/2.0 gitops-operator");
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException || e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw SourceErrors.Create(SourceFailureReason.Unreachable, url, "cannot list references", credentials, e.Message);
        }

        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw SourceErrors.Create(SourceFailureReason.AuthenticationFailed, url, "cannot list references", credentials, $"HTTP {(int)response.StatusCode}");
            }

            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw SourceErrors.Create(SourceFailureReason.RepositoryNotFound, url, "cannot list references", credentials, "HTTP 404");
            }

            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "application/x-git-upload-pack-advertisement")
            {
                throw SourceErrors.Create(SourceFailureReason.FetchFailed, url, "cannot list references", credentials,
                    $"HTTP {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}: not a smart Git HTTP server");
            }

            var body = await response.Content.ReadAsByteArrayAsync(ct);
            return Parse(body);
        }
    }

    /// <summary>Parses a protocol v0 upload-pack advertisement (pkt-lines).</summary>
    internal static RemoteRefs Parse(ReadOnlySpan<byte> body)
    {
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        string? headTarget = null;
        var position = 0;
        while (position + 4 <= body.Length)
        {
            // A pkt-line: four hex digits of length (itself included), or 0000/0001/0002 markers.
            if (!int.TryParse(Encoding.ASCII.GetString(body.Slice(position, 4)), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var length)
                || length is 3 || length > body.Length - position)
            {
                throw new SourceException(SourceFailureReason.FetchFailed, $"the server's ref advertisement is malformed at byte {position}: not a Git smart HTTP answer");
            }

            if (length < 4)
            {
                position += 4;
                continue;
            }

            var line = Encoding.UTF8.GetString(body.Slice(position + 4, length - 4)).TrimEnd('\n');
            position += length;
            if (line.StartsWith('#')) continue;
            var nul = line.IndexOf('\0', StringComparison.Ordinal);
            if (nul >= 0)
            {
                foreach (var capability in line[(nul + 1)..].Split(' '))
                {
                    if (capability.StartsWith("symref=HEAD:", StringComparison.Ordinal)) headTarget = capability["symref=HEAD:".Length..];
                }

                line = line[..nul];
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space != 40 || line[..40] == ZeroSha) continue;
            refs[line[41..]] = line[..40];
        }

        return new RemoteRefs(refs, headTarget);
    }
}
