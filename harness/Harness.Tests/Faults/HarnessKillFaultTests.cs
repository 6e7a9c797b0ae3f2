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

    /// <summary>`bin/harness boot --arch x86_64 --kernel LINK` with TMPDIR in the scratch directory.</summary>
    private sealed class BootRun
    {
        private readonly ScratchConfig _scratch;
        private readonly List<string> _lines = [];

        private BootRun(ScratchConfig scratch, CancellationToken cancellationToken, bool defaultSigint)
        {
            _scratch = scratch;
            var kernel = scratch.File("bzImage");
            File.CreateSymbolicLink(kernel, BuiltKernels.Patched("x86_64").Image);
            string[] arguments = [HarnessCli.Binary, "boot", "--arch", "x86_64", "--kernel", kernel];
            // A test host started without job control ignores SIGINT, and children inherit that: python3 restores the
            // default, then execs the harness in place (same pid).
            var spec = defaultSigint
                ? new ProcessSpec("python3", ["-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])", .. arguments])
                : new ProcessSpec(arguments[0], arguments[1..]);
            Process = new ProcessRunner().RunAsync(spec with
            {
                Environment = new Dictionary<string, string?> { ["TMPDIR"] = scratch.Temp },
                Timeout = TimeSpan.FromMinutes(4),
                OnOutputLine = line => { lock (_lines) _lines.Add(line); },
            }, cancellationToken);
        }

        public Task<ProcessResult> Process { get; }

        /// <summary>The ssh command line `boot` prints once the guest is ready.</summary>
        public string? SshCommand
        {
            get { lock (_lines) return _lines.FirstOrDefault(l => l.StartsWith("ssh -i ", StringComparison.Ordinal)); }
        }

        public static BootRun Start(ScratchConfig scratch, CancellationToken cancellationToken, bool defaultSigint = false) =>
            new(scratch, cancellationToken, defaultSigint);

        public IReadOnlyList<(int Pid, string CommandLine)> Qemu() =>
            ProcessTable.Find(_scratch.Root).Where(p => p.CommandLine.Contains("qemu-system-", StringComparison.Ordinal)).ToArray();

        private int HarnessPid()
        {
            var harness = ProcessTable.Find(_scratch.Root).Where(p => p.CommandLine.Contains(" boot --arch ", StringComparison.Ordinal)).ToArray();
            Assert.That(harness, Has.Length.EqualTo(1), "the harness process, found by its --kernel");
            return harness[0].Pid;
        }

        public void KillHarness()
        {
            using var process = System.Diagnostics.Process.GetProcessById(HarnessPid());
            process.Kill(); // SIGKILL, the harness itself only
        }

        public void Signal(string signal) =>
            new ProcessRunner().RunAsync(ProcessSpec.Of("kill", signal, HarnessPid().ToString()), CancellationToken.None).GetAwaiter().GetResult();

        public async Task<bool> WaitForAsync(Func<bool> condition, string what, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (Process.IsCompleted) Assert.Fail($"the harness ended before {what}: {(await Process).Transcript()}");
                if (clock.Elapsed > TimeSpan.FromMinutes(3)) Assert.Fail($"no {what} within 3 minutes:\n{string.Join('\n', _lines)}");
                await Task.Delay(100, cancellationToken);
            }
            return true;
        }

        /// <summary>Processes of the run still alive after up to <paramref name="time"/> (polled: they may take a moment to die).</summary>
        public async Task<IReadOnlyList<string>> LeftAfterAsync(TimeSpan time)
        {
            var clock = Stopwatch.StartNew();
            while (ProcessTable.Containing(_scratch.Root).Count > 0 && clock.Elapsed < time) await Task.Delay(100);
            return ProcessTable.Containing(_scratch.Root);
        }
    }
}
