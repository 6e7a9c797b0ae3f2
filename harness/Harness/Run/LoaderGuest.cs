using Harness.Ssh;
using Harness.Vm;

namespace Harness.Run;

/// <summary>
/// A guest the loader runs in, as <see cref="GuestLoads"/> needs it: a session, and when a command breaks,
/// whether the guest died and what its console said. <see cref="QemuLoaderGuest"/> is the real one; tests fake it.
/// </summary>
public interface ILoaderGuest : IAsyncDisposable
{
    IGuestSession Session { get; }

    /// <summary>Whether the guest is gone or goes within <paramref name="time"/> (after an SSH error: died, or only the connection broke).</summary>
    Task<bool> ExitsWithinAsync(TimeSpan time);

    /// <summary>How it died, for an error message: the first panic/oops line, or that it stopped silently.</summary>
    string HowItDied { get; }

    /// <summary>The console lines that show a fault: from the first kernel failure on, else the last lines.</summary>
    IReadOnlyList<string> ConsoleEvidence(int lines);

    /// <summary>How a person gets a shell there (an ssh command line), for the message when the loader is held.</summary>
    string HowToReach => "";

    /// <summary>Tears down a guest that stopped answering without waiting for it to answer; by default the same as disposing.</summary>
    ValueTask KillAsync() => DisposeAsync();
}

/// <summary>A QEMU guest as an <see cref="ILoaderGuest"/>; disposing it tears the guest down.</summary>
public sealed class QemuLoaderGuest(QemuVm vm) : ILoaderGuest
{
    public QemuVm Vm { get; } = vm;

    public IGuestSession Session => Vm.Session;

    public Task<bool> ExitsWithinAsync(TimeSpan time) => Vm.ExitsWithinAsync(time);

    public string HowItDied =>
        Vm.KernelFailures.Count > 0 ? $"QEMU exited after \"{Vm.KernelFailures[0].Line.Trim()}\""
        // -no-reboot turns a reboot into QEMU exiting; the kernel says so last.
        : Vm.ConsoleTail(5).FirstOrDefault(l => l.Contains(RebootMessage, StringComparison.Ordinal)) is { } reboot ? $"the guest rebooted: \"{reboot.Trim()}\""
        : "QEMU exited with no kernel message: killed, or the kernel stopped silently";

    /// <summary>What the kernel prints when it restarts.</summary>
    private const string RebootMessage = "reboot: Restarting system";

    public string HowToReach => Vm.SshCommandLine;

    public ValueTask KillAsync() => Vm.KillAsync();

    public IReadOnlyList<string> ConsoleEvidence(int lines)
    {
        var tail = Vm.ConsoleTail(60);
        var first = Vm.KernelFailures.Select(f => f.Line).FirstOrDefault(f => tail.Contains(f));
        var from = first is null ? Math.Max(0, tail.Count - lines) : tail.ToList().IndexOf(first);
        return tail.Skip(from).Take(lines).ToArray();
    }

    public ValueTask DisposeAsync() => Vm.DisposeAsync();
}
