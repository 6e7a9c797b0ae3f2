namespace Harness.Processes;

/// <summary>
/// The one way the harness runs external programs. Tests replace it with a fake; everything else
/// goes through <see cref="ProcessRunner"/>.
/// </summary>
public interface IProcessRunner
{
    /// <summary>
    /// Runs to completion and returns what happened; never throws on a non-zero exit.
    /// <paramref name="cancellationToken"/> kills the process; <paramref name="gracefulCancellation"/>
    /// first asks it to stop (SIGINT), so QEMU and make can clean up.
    /// </summary>
    Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken,
        CancellationToken gracefulCancellation = default);
}
