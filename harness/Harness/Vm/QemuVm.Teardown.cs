using Harness.Processes;

namespace Harness.Vm;

public sealed partial class QemuVm
{
    /// <summary>
    /// Sent over SSH first. A reset rather than `poweroff -f`: tinyconfig x86 kernels have no ACPI, so poweroff only
    /// halts ("Power off not available: System halted instead") and QEMU stays up; a reset works on every arch, and
    /// -no-reboot turns it into QEMU exiting.
    /// </summary>
    public const string PowerOffCommand = "reboot -f";

    /// <summary>
    /// Tears down a guest known to be stuck (hung, or QEMU itself stopped): a poweroff over SSH would only wait out
    /// its grace, and SIGINT does not reach a stopped QEMU, so QEMU is killed first; the SSH session then closes on
    /// a dead connection at once instead of waiting for a guest that never answers.
    /// </summary>
    public async ValueTask KillAsync()
    {
        if (Volatile.Read(ref _disposed) == 1) return;
        if (_process is { IsCompleted: false })
        {
            _kill.Cancel();
            await ExitedWithinAsync(TimeSpan.FromSeconds(30));
        }
        await DisposeAsync();
    }

    /// <summary>Stops the guest and QEMU and removes the temp directory; safe to call twice, never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        var grace = _request.StopGrace;
        // A guest whose QEMU is gone (killed, or it died) cannot power off: its session only needs closing.
        if (_session is { } closed && HasExited)
            await IgnoreFailuresAsync(closed.DisposeAsync().AsTask());
        else if (_session is { } session)
        {
            // The command never answers: the guest dies under it. Its failure is expected and ignored.
            var off = session.RunAsync(PowerOffCommand, grace, CancellationToken.None);
            await ExitedWithinAsync(grace);
            await Task.WhenAny(off, Task.Delay(TimeSpan.FromMilliseconds(200)));
            _ = off.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            await IgnoreFailuresAsync(session.DisposeAsync().AsTask());
        }
        if (_process is { } process)
        {
            if (!await ExitedWithinAsync(TimeSpan.Zero))
            {
                _stop.Cancel();
                if (!await ExitedWithinAsync(grace))
                {
                    _kill.Cancel();
                    await ExitedWithinAsync(TimeSpan.FromSeconds(30));
                }
            }
            await IgnoreFailuresAsync(process);
        }
        _stop.Dispose();
        _kill.Dispose();
        try
        {
            _temp.Delete(recursive: true);
            ChildProcesses.UnregisterTempDirectory(_temp.FullName);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>Whether QEMU has exited or exits within <paramref name="time"/>: after an SSH error, tells a dead guest from a broken connection.</summary>
    public Task<bool> ExitsWithinAsync(TimeSpan time) => ExitedWithinAsync(time);

    private async Task<bool> ExitedWithinAsync(TimeSpan time)
    {
        if (_process is null || _process.IsCompleted) return true;
        await Task.WhenAny(_process, Task.Delay(time));
        return _process.IsCompleted;
    }

    private static async Task IgnoreFailuresAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception)
        {
            // Teardown: QEMU cancelled or killed, SSH already gone. Nothing left to do about it.
        }
    }

    private static async Task IgnoreFailuresAsync(Task<ProcessResult> task) => await IgnoreFailuresAsync((Task)task);
}
