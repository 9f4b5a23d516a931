using LibGit2Sharp;

namespace GitOps.Operator.Source;

/// <summary>
/// With a server timeout set (<see cref="LibGit2ServerTimeout"/>) libgit2 waits for the socket in
/// <c>poll</c>, which a signal to the thread (the .NET runtime sends some) interrupts with EINTR, and
/// libgit2 reports that as a failure ("Interrupted system call") instead of waiting again. Such a
/// call is simply made again, a few times.
/// </summary>
internal static class InterruptedCallRetry
{
    private const int Attempts = 10;

    public static T Run<T>(Func<T> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return call();
            }
            catch (LibGit2SharpException e) when (attempt < Attempts && IsInterrupted(e))
            {
                // Interrupted, not failed: once more.
            }
        }
    }

    public static void Run(Action call) => Run(() =>
    {
        call();
        return true;
    });

    private static bool IsInterrupted(LibGit2SharpException e) => e.Message.Contains("Interrupted system call", StringComparison.OrdinalIgnoreCase);
}
