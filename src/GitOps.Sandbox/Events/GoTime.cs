using System.Globalization;
using System.Text.Json.Nodes;

namespace GitOps.Sandbox.Events;

/// <summary>Event times as Go holds them: metav1.Time / MicroTime decoded from RFC 3339, printed by time.Time.String.</summary>
internal static class GoTime
{
    /// <summary>The instant a JSON time holds, or null when it is absent, null or not a time.</summary>
    public static DateTimeOffset? Parse(JsonNode? time) =>
        time is JsonValue v && v.TryGetValue<string>(out var s)
        && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.ToUniversalTime() : null;

    /// <summary>
    /// time.Time.String() of a UTC time ("2006-01-02 15:04:05.999999999 -0700 MST", trailing zeros
    /// of the fraction dropped); an absent time is Go's zero time. Assumes the apiserver runs in UTC.
    /// </summary>
    public static string String(JsonNode? time)
    {
        var t = Parse(time) ?? DateTimeOffset.MinValue;
        var fraction = (t.Ticks % TimeSpan.TicksPerSecond * 100).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "") + " +0000 UTC";
    }

    /// <summary>The instant truncated to microseconds, as ValidateEventUpdate compares eventTime.</summary>
    public static DateTimeOffset Microseconds(JsonNode? time)
    {
        var t = Parse(time) ?? DateTimeOffset.MinValue;
        return new DateTimeOffset(t.Ticks - t.Ticks % (TimeSpan.TicksPerMillisecond / 1000), TimeSpan.Zero);
    }
}
