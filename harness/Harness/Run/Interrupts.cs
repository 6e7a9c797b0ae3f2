namespace Harness.Run;

/// <summary>
/// Ctrl-C in a terminal reaches the whole process group: QEMU, make and the compilers die of it at the moment the
/// harness's own handler cancels the token, so their failure can surface first. Before a failure becomes an error,
/// the signal gets a moment to arrive: an interrupted run is reported as aborted, not as broken.
/// </summary>
public static class Interrupts
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);

    /// <summary>Whether the run was interrupted, waiting up to half a second for a signal that is on its way (error paths only).</summary>
    public static bool Arrived(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested || cancellationToken.WaitHandle.WaitOne(Settle);
}
