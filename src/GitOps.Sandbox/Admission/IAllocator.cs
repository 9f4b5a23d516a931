namespace GitOps.Sandbox.Admission;

/// <summary>
/// What defaulting needs from server state: cluster IPs and node ports (the Service registry's
/// allocators), uids, and the random suffix of the Pod's kube-api-access volume.
/// </summary>
public interface IAllocator
{
    string NextClusterIp();
    int NextNodePort();
    string NewUid();
    /// <summary>Five characters for generated names (utilrand.String(5)).</summary>
    string RandomSuffix();
}

/// <summary>A deterministic allocator: 10.0.0.1, 10.0.0.2, ... node ports from 30000, sequential uids.</summary>
public sealed class SequentialAllocator : IAllocator
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
    private int _ip;
    private int _port;
    private long _uid;
    private long _suffix;

    public string NextClusterIp()
    {
        var n = Interlocked.Increment(ref _ip);
        return $"10.0.{n / 254 % 256}.{n % 254 + 1}";
    }

    public int NextNodePort() => 30000 + (Interlocked.Increment(ref _port) - 1) % 2768;

    public string NewUid() => $"00000000-0000-4000-8000-{Interlocked.Increment(ref _uid):x12}";

    public string RandomSuffix()
    {
        var n = Interlocked.Increment(ref _suffix);
        var chars = new char[5];
        for (var i = 4; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(n % Alphabet.Length)];
            n /= Alphabet.Length;
        }
        return new string(chars);
    }
}
