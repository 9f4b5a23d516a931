using System.Net;
using System.Text;

namespace GitOps.Operator.Notifications;

public enum DeliveryOutcome
{
    Delivered,
    /// <summary>It may pass (5xx, 429, a timeout, no connection): tried again after a while.</summary>
    Retry,
    /// <summary>The receiver refused it (4xx): trying again would not help.</summary>
    Failed,
}

/// <summary>How one POST went; the message names the answer, never the URL or a header.</summary>
public sealed record DeliveryResult(DeliveryOutcome Outcome, int Code, string Message);

/// <summary>Sends one <see cref="NotificationRequest"/> with a timeout and says whether to try again.</summary>
public sealed class NotificationSender(HttpClient http, NotificationOptions options)
{
    public async Task<DeliveryResult> SendAsync(NotificationRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.RequestTimeout);
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url)
        {
            Content = new StringContent(request.Body, Encoding.UTF8, "application/json"),
        };
        message.Headers.UserAgent.ParseAdd("gitops-operator");
        foreach (var (name, value) in request.Headers) message.Headers.TryAddWithoutValidation(name, value);
        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            var answered = $"answered {code} {response.ReasonPhrase}";
            if (response.IsSuccessStatusCode) return new DeliveryResult(DeliveryOutcome.Delivered, code, answered);
            var retry = code >= 500 || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;
            return new DeliveryResult(retry ? DeliveryOutcome.Retry : DeliveryOutcome.Failed, code, answered);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DeliveryResult(DeliveryOutcome.Retry, 0, $"no answer within {options.RequestTimeout.TotalSeconds:0.#}s");
        }
        catch (HttpRequestException e)
        {
            // The exception's message can hold the host and path (a Slack URL is a secret): only its kind is told.
            return new DeliveryResult(DeliveryOutcome.Retry, 0, $"could not be reached ({e.HttpRequestError})");
        }
    }
}
