using System.Diagnostics;
using Harness.Errors;
using Harness.Processes;
using Harness.Tests.Support;

namespace Harness.Tests.Faults;

/// <summary>
/// The harness killed from outside while a guest runs (`bin/harness boot --arch x86_64`): SIGKILL runs no handler, so
/// QEMU must die by itself (parent-death signal); a second Ctrl-C must exit at once and still kill QEMU. The kernel is
/// passed as a link under the test's temp directory, so every process of the run (the harness, the KVM probe, QEMU)
/// carries that path on its command line and the process table shows what is left.
/// </summary>
[Category("Faults"), Category("EndToEnd")]
[NonParallelizable]
public class HarnessKillFaultTests
{
    private const int FiveMinutes = 300_000;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    [Test, CancelAfter(FiveMinutes)]
    public async Task SIGKILL_of_the_harness_while_QEMU_boots_leaves_no_QEMU(CancellationToken cancellationToken)
    {
        using var scratch = new ScratchConfig();
        var boot = BootRun.Start(scratch, cancellationToken);

        // QEMU with its network (the guest proper, not the KVM probe) is up: the kernel is booting.
        var qemu = await boot.WaitForAsync(() => boot.Qemu().Any(p => p.CommandLine.Contains("-netdev")), "QEMU booting the guest", cancellationToken);
        boot.KillHarness();

        Assert.That(await boot.LeftAfterAsync(Settle), Is.Empty, "processes of the killed run still alive");
        Assert.That(qemu, Is.True);

        // No handler ran: the guest's temp directory is still there. The next run works without cleanup and removes it.
        Assert.That(Directory.GetDirectories(scratch.Temp, "harness-*"), Is.Not.Empty, "the killed run's temp directory (the test's premise)");
        var next = await HarnessCli.RunAsync(["exec", "--arch", "x86_64", "--kernel", scratch.File("bzImage"), "--", "true"], cancellationToken, scratch.Temp);
        Assert.That(next.ExitCode, Is.Zero, next.Transcript());
        // The .NET runtime's own IPC files of the killed process (dotnet-diagnostic-PID-*, clr-debug-pipe-PID-*) are not ours to sweep.
        Assert.That(Directory.GetFileSystemEntries(scratch.Temp, "harness-*"), Is.Empty, "the killed run's temp directory was not swept");
    }

    /// <summary>
    /// The parent-death signal follows the thread that forked QEMU; thread-pool threads retire after about 20 s idle.
    /// A guest idle for 70 s must still be up (and answer SSH), and must die with the harness after that.
    /// </summary>
    [Test, CancelAfter(FiveMinutes)]
    public async Task A_guest_idle_for_70_s_stays_up_and_dies_with_a_SIGKILLed_harness(CancellationToken cancellationToken)
    {
        using var scratch = new ScratchConfig();
        var boot = BootRun.Start(scratch, cancellationToken);
        await boot.WaitForAsync(() => boot.SshCommand is not null, "guest ready and the ssh command", cancellationToken);

        await Task.Delay(TimeSpan.FromSeconds(70), cancellationToken);
        Assert.That(boot.Qemu(), Has.Count.EqualTo(1), "QEMU died while the harness idled (parent-death signal from a retired thread?)");
        var ssh = await new ProcessRunner().RunAsync(new ProcessSpec("ssh", [.. boot.SshCommand!.Split(' ').Skip(1).SkipLast(1),
            "-o", "BatchMode=yes", "-o", "ConnectTimeout=20", "root@127.0.0.1", "echo", "alive"]) { Timeout = TimeSpan.FromSeconds(60) }, cancellationToken);
        Assert.That(ssh.StandardOutput.Trim(), Is.EqualTo("alive"), ssh.StandardError);

        boot.KillHarness();

        Assert.That(await boot.LeftAfterAsync(Settle), Is.Empty, "processes of the killed run still alive");
    }

    [Test, CancelAfter(FiveMinutes)]
    public async Task A_second_Ctrl_C_exits_at_once_and_still_kills_QEMU_and_its_temp_directory(CancellationToken cancellationToken)
    {
        using var scratch = new ScratchConfig();
        var boot = BootRun.Start(scratch, cancellationToken, defaultSigint: true);
        await boot.WaitForAsync(() => boot.SshCommand is not null, "guest ready", cancellationToken);

        boot.Signal("-INT");
        boot.Signal("-INT");
        var result = await boot.Process;

        Assert.Multiple(async () =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Interrupted), result.Transcript());
            Assert.That(result.StandardError, Does.Contain("second interrupt: killed 1 child process(es)"), result.Transcript());
            Assert.That(await boot.LeftAfterAsync(Settle), Is.Empty, "processes of the run still alive");
            Assert.That(Directory.GetFileSystemEntries(scratch.Temp), Is.Empty, "the guest's temp directory was left");
        });
    }
}
