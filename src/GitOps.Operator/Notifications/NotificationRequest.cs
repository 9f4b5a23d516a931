namespace GitOps.Operator.Notifications;

/// <summary>
/// One HTTP POST to a receiver. It holds credentials (a token header, a Slack or Teams URL that is a
/// secret itself), so <see cref="ToString"/> shows neither the URL nor the headers.
/// </summary>
public sealed record NotificationRequest(Uri Url, string Body, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public override string ToString() => $"POST ({Body.Length} bytes)";
}
