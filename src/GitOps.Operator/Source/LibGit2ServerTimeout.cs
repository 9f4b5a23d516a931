using System.Runtime.InteropServices;
using LibGit2Sharp;

namespace GitOps.Operator.Source;

/// <summary>
/// libgit2's server timeout (<c>GIT_OPT_SET_SERVER_TIMEOUT</c>, libgit2 1.7+): a read or write on a
/// connection to a Git server that makes no progress for this long fails, so a server that hangs
/// mid-fetch cannot keep a libgit2 fetch (and the cache lock it runs under) forever. LibGit2Sharp does
/// not expose the option, so it is set through <c>git_libgit2_opts</c> of the native library LibGit2Sharp
/// loads. The option is process-wide: with several <see cref="GitSource"/> instances in one process
/// (tests), the shortest timeout asked for applies.
/// </summary>
internal static class LibGit2ServerTimeout
{
    private const int SetServerTimeout = 41; // git_libgit2_opt_t: GIT_OPT_SET_SERVER_TIMEOUT
    private const int GetServerTimeout = 42; // GIT_OPT_GET_SERVER_TIMEOUT
    private static readonly object s_gate = new();
    private static int s_appliedMilliseconds = int.MaxValue;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetIntOption(int option, int value);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int GetIntOption(int option, out int value);

    /// <summary>Lowers libgit2's server timeout to <paramref name="stall"/>; returns the timeout now in force, or null when it cannot be set.</summary>
    public static TimeSpan? Apply(TimeSpan stall)
    {
        var milliseconds = (int)Math.Clamp(stall.TotalMilliseconds, 1, int.MaxValue);
        lock (s_gate)
        {
            if (milliseconds >= s_appliedMilliseconds) return TimeSpan.FromMilliseconds(s_appliedMilliseconds);
            // A variadic C function called with fixed int arguments: sound on Linux x64 and arm64, not on Apple arm64.
            if (!OperatingSystem.IsLinux() || Export() is not { } opts) return null;
            var set = Marshal.GetDelegateForFunctionPointer<SetIntOption>(opts);
            var get = Marshal.GetDelegateForFunctionPointer<GetIntOption>(opts);
            if (set(SetServerTimeout, milliseconds) != 0 || get(GetServerTimeout, out var now) != 0 || now != milliseconds) return null;
            s_appliedMilliseconds = milliseconds;
            return stall;
        }
    }

    private static IntPtr? Export()
    {
        // Makes LibGit2Sharp load and initialise its native library first: the features are the native library's
        // answer (GlobalSettings.Version alone is managed and loads nothing, and a GitSource made at startup, before any
        // fetch, then left the timeout unset: a hung server kept its repository's cache locked).
        _ = GlobalSettings.Version.Features;
        return LoadedLibgit2() is { } path && NativeLibrary.TryLoad(path, out var library)
            && NativeLibrary.TryGetExport(library, "git_libgit2_opts", out var export) ? export : null;
    }

    /// <summary>
    /// The file of the libgit2 LibGit2Sharp loaded (libgit2-&lt;commit&gt;.so), read from the process's memory map:
    /// loading that same path again returns the library already loaded, whatever directory it came from.
    /// </summary>
    private static string? LoadedLibgit2()
    {
        try
        {
            return File.ReadLines("/proc/self/maps")
                .Select(line => line.IndexOf('/') is var i and >= 0 ? line[i..] : "")
                .FirstOrDefault(path => Path.GetFileName(path) is var name && name.StartsWith("libgit2-", StringComparison.Ordinal) && name.Contains(".so", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
