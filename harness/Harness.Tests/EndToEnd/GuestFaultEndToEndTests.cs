using Harness.Cli;
using Harness.Errors;
using Harness.Reports;
using Harness.Tests.Support;
using Harness.Verdicts;

namespace Harness.Tests.EndToEnd;

/// <summary>
/// Guest faults injected into a real `harness run` (x86_64, and arm64 for the mid-run faults; patched kernel only, warm cache): a real verifier oops
/// (the RFC's wq_null_map programs, un-skipped), a hung loader, a crashed loader, a guest that reboots under the tests.
/// Injections mid-run hold the loader before a known program (`run --hold-before`) and inject from a second SSH session,
/// so they land on that program every time, however fast or slow the machine is.
/// Each time the program in flight (or the oopsing programs) is an error naming the fault, every other program gets
/// its normal verdict (after a reboot where the guest was lost), the run exits 2, and no QEMU is left.
/// </summary>
[Category("EndToEnd")]
[Category("Faults")]
[NonParallelizable]
public class GuestFaultEndToEndTests
{
    private const int FiveMinutes = 300_000;

    private const string WqObject = "async_wq.bpf.o";

    /// <summary>A program in the middle of the loader's list (objects in name order), accepted on the patched kernel.</summary>
    private const string MidRunProgram = "async_mem.bpf.o:mem_read_in_bounds";

    [Test, CancelAfter(FiveMinutes)]
    public async Task A_verifier_oops_is_an_error_of_the_programs_that_caused_it_and_every_other_program_keeps_its_verdict(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var overlay = output.Write("expectations.yaml", WithoutSkipsOf("wq_null_map_start"));

        var exitCode = await Program.Main(["run", "--config", Config(output), "--arch", "x86_64", "--no-baseline", "--expectations", overlay, "--output", output.Combine("out")]);

        var run = Results(output);
        var errors = run.Programs.Where(p => p.Outcome.Status == OutcomeStatus.Error).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.InfrastructureError));
            // wq_null_map_unused is accepted at test_loader's log level 0, where R1 (the NULL map) is never printed: no oops.
            Assert.That(errors.Select(p => p.Expectation.Program), Is.EquivalentTo(new[] { "wq_null_map_start" }));
            Assert.That(errors.Select(p => p.Outcome.Reason), Is.All.StartWith("kernel splat while loading it: BUG: kernel NULL pointer dereference"));
            Assert.That(errors.Select(p => string.Join('\n', p.Outcome.RelevantLogLines.Select(l => l.Text))), Is.All.Contains("check_kfunc_call"));
            Assert.That(run.Programs.Except(errors).Select(p => p.Outcome.AsExpected), Is.All.True, "every other program has its normal verdict");
            Assert.That(run.Error, Is.Null, "every splat on the console is explained by the program that caused it");
            Assert.That(ProcessTable.Containing(output.Path), Is.Empty, "no QEMU left");
        });
    }

    /// <summary>
    /// A real kernel panic in the middle of the tests: the loader is held before wq_null_map_start and panic_on_oops
    /// is set, so that program's oops panics the guest. It is the error naming the panic; the guest is rebooted
    /// (panic_on_oops is 0 again), where the programs after it (wq_null_map_unused among them) get their verdicts.
    /// </summary>
    [Test, CancelAfter(FiveMinutes)]
    public async Task A_kernel_panic_mid_run_is_an_error_of_the_program_that_caused_it_and_the_rest_run_after_a_reboot(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var inject = GuestInjection.WhenHeldAsync(output.Path, "echo 1 > /proc/sys/kernel/panic_on_oops && echo set", cancellationToken);

        var exitCode = await Program.Main(["run", "--config", Config(output), "--arch", "x86_64", "--no-baseline", "--hold-before", $"{WqObject}:wq_null_map_start",
            "--expectations", output.Write("expectations.yaml", WithoutSkipsOf("wq_null_map_start")), "--output", output.Combine("out")]);
        var (injected, _) = await inject;

        var run = Results(output);
        var errors = run.Programs.Where(p => p.Outcome.Status == OutcomeStatus.Error).ToArray();
        var reasonOf = errors.ToDictionary(p => p.Expectation.Program, p => p.Outcome.Reason);
        Assert.Multiple(() =>
        {
            Assert.That(injected, Does.Contain("set"));
            Assert.That(exitCode, Is.EqualTo(ExitCodes.InfrastructureError));
            Assert.That(reasonOf.Keys, Is.EquivalentTo(new[] { "wq_null_map_start" }));
            Assert.That(reasonOf.GetValueOrDefault("wq_null_map_start"), Does.StartWith("the guest died while loading it (QEMU exited after \"").And.Contains("BUG: kernel NULL pointer dereference"));
            Assert.That(run.Programs.Where(p => p.Expectation.Program == "wq_null_map_unused").Select(p => p.Load?.Verdict), Is.EqualTo(new LoadVerdict?[] { LoadVerdict.Accept }),
                "the program after the panic loaded on the rebooted guest");
            Assert.That(errors.SelectMany(p => p.Outcome.RelevantLogLines).Select(l => l.Text), Has.Some.Contains("Kernel panic - not syncing"));
            Assert.That(run.Programs.Except(errors).Select(p => p.Outcome.AsExpected), Is.All.True, "every other program has its normal verdict");
            Assert.That(run.Notes, Has.Some.Contains("the guest was torn down"));
            Assert.That(run.Error, Is.Null, "the panic is explained by the program that caused it");
            Assert.That(ProcessTable.Containing(output.Path), Is.Empty, "no QEMU left");
        });
    }

    /// <summary>
    /// The loader is held before a program in the middle of the run and the fault is injected there: SIGSTOP (no
    /// result comes within the program limit, 3 s here plus the 5 s the loader's own limit is given), SIGSEGV (the
    /// loader crashed), or a reboot of the guest. That program, and only it, is the error; the rest keep their verdicts.
    /// </summary>
    [TestCase("x86_64", "kill -STOP $p", "no result within 8 s (timeouts: program, plus a grace for the loader's own limit): the guest or the loader hung; the guest was killed", true)]
    [TestCase("x86_64", "kill -SEGV $p", "the loader crashed while loading it (exit -1: killed by SIGSEGV)", false)]
    [TestCase("x86_64", "reboot -f", "the guest died while loading it (the guest rebooted: ", true)]
    [TestCase("arm64", "kill -SEGV $p", "the loader crashed while loading it (exit -1: killed by SIGSEGV)", false)]
    [TestCase("arm64", "reboot -f", "the guest died while loading it (the guest rebooted: ", true)]
    [CancelAfter(FiveMinutes)]
    public async Task A_fault_in_the_guest_mid_run_is_an_error_of_the_program_in_flight_and_the_rest_still_run(
        string arch, string injection, string reason, bool rebooted, CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var inject = GuestInjection.WhenHeldAsync(output.Path, injection, cancellationToken);

        var exitCode = await Program.Main(["run", "--config", Config(output, program: 3), "--arch", arch, "--no-baseline",
            "--hold-before", MidRunProgram, "--output", output.Combine("out")]);
        var (injected, _) = await inject;

        var run = Results(output);
        var errors = run.Programs.Where(p => p.Outcome.Status == OutcomeStatus.Error).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.InfrastructureError), injected);
            Assert.That(errors.Select(p => p.Key), Is.EqualTo(new[] { MidRunProgram }), "only the program in flight: the one held");
            Assert.That(errors.Select(p => p.Outcome.Reason), Has.All.StartWith(reason));
            Assert.That(run.Programs.Except(errors).Select(p => p.Outcome.AsExpected), Is.All.True, "every other program has its normal verdict");
            Assert.That(run.Programs.Except(errors).Count(p => p.Load is not null), Is.GreaterThan(50), "the programs after it were loaded");
            Assert.That(run.Notes.Any(n => n.Contains("the guest was torn down", StringComparison.Ordinal)), Is.EqualTo(rebooted), string.Join('\n', run.Notes));
            Assert.That(run.Error, Is.Null);
            Assert.That(ProcessTable.Containing(output.Path), Is.Empty, "no QEMU left");
        });
    }

    /// <summary>
    /// The whole guest freezes (QEMU stopped from the host while the loader is held): no result comes, the guest is
    /// killed at the program limit, and the programs after the one in flight run in a new guest.
    /// </summary>
    [Test, CancelAfter(FiveMinutes)]
    public async Task A_guest_that_freezes_mid_run_is_killed_at_the_program_limit_and_the_rest_run_in_a_new_guest(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var inject = Task.Run(async () =>
        {
            var (said, qemu) = await GuestInjection.WhenHeldAsync(output.Path, "echo held", cancellationToken, release: false);
            await new Harness.Processes.ProcessRunner().RunAsync(Harness.Processes.ProcessSpec.Of("kill", "-STOP", qemu.ToString()), cancellationToken);
            return said;
        }, cancellationToken);

        var exitCode = await Program.Main(["run", "--config", Config(output, program: 3), "--arch", "x86_64", "--no-baseline",
            "--hold-before", MidRunProgram, "--output", output.Combine("out")]);
        var injected = await inject;

        var run = Results(output);
        var errors = run.Programs.Where(p => p.Outcome.Status == OutcomeStatus.Error).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(injected, Does.Contain("held"));
            Assert.That(exitCode, Is.EqualTo(ExitCodes.InfrastructureError));
            Assert.That(errors.Select(p => p.Key), Is.EqualTo(new[] { MidRunProgram }));
            Assert.That(errors.Select(p => p.Outcome.Reason), Is.EqualTo(new[] { "no result within 8 s (timeouts: program, plus a grace for the loader's own limit): the guest or the loader hung; the guest was killed" }));
            Assert.That(run.Programs.Except(errors).Select(p => p.Outcome.AsExpected), Is.All.True, "every other program has its normal verdict");
            Assert.That(run.Notes, Has.Some.Contains("the guest was torn down"));
            Assert.That(ProcessTable.Containing(output.Path), Is.Empty, "the frozen QEMU was killed, nothing left");
        });
    }

    /// <summary>
    /// A real flake: the loader is held before the first async_wq program, the object is corrupted there and put back
    /// once that loader process has exited (its pid is in the hold file), so the object's programs fail to load on the
    /// first attempt and load on the retry, which is a new loader process.
    /// </summary>
    [Test, CancelAfter(FiveMinutes)]
    public async Task A_program_whose_result_changes_on_a_retry_is_reported_flaky_and_does_not_fail_the_run(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        const string obj = $"/tmp/selftests/{WqObject}";
        var inject = GuestInjection.WhenHeldAsync(output.Path,
            $"cp {obj} /tmp/keep.o; echo broken > {obj}; rm -f {GuestInjection.HoldFile}; while kill -0 $p 2>/dev/null; do usleep 2000; done; cp /tmp/keep.o {obj}; echo restored",
            cancellationToken);

        var exitCode = await Program.Main(["run", "--config", Config(output), "--arch", "x86_64", "--no-baseline", "--retries", "1",
            "--hold-before", $"{WqObject}:wq_start_in_callback", "--output", output.Combine("out")]);
        var (injected, _) = await inject;

        var run = Results(output);
        var flaky = run.Programs.Where(p => p.Outcome.Status == OutcomeStatus.Flaky).ToArray();
        var latest = Path.Combine(output.Combine("out"), ReportWriter.LatestLink);
        Assert.Multiple(() =>
        {
            Assert.That(injected, Does.Contain("restored"));
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), "flaky programs are listed, they do not fail the run");
            Assert.That(flaky, Is.Not.Empty);
            Assert.That(flaky.Select(p => p.Expectation.Object), Is.All.EqualTo(WqObject));
            Assert.That(flaky.Select(p => p.Outcome.Attempts.Count), Is.All.EqualTo(2));
            Assert.That(flaky.Select(p => p.Outcome.Attempts[0]), Is.All.StartWith("loader error"));
            Assert.That(run.Programs.Except(flaky).Select(p => p.Outcome.AsExpected), Is.All.True);
            Assert.That(File.ReadAllText(Path.Combine(latest, ReportWriter.SummaryFile)), Does.Contain("## Flaky").And.Contain("flaky: the result changed between 2 attempts"));
            Assert.That(File.ReadAllText(Path.Combine(latest, ReportWriter.JunitFile)), Does.Contain("flaky: the result changed"));
            Assert.That(File.ReadAllText(Path.Combine(latest, ReportWriter.ResultsFile)), Does.Contain("\"status\": \"flaky\""));
            Assert.That(ProcessTable.Containing(output.Path), Is.Empty, "no QEMU left");
        });
    }

    [Test, CancelAfter(FiveMinutes)]
    public async Task A_guest_command_past_the_command_limit_is_killed_and_reported(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(stderr);
        int exitCode;
        try
        {
            exitCode = await Program.Main(["exec", "--config", Config(output, command: 2), "--arch", "x86_64", "--", "sleep", "60"]);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.InfrastructureError));
            Assert.That(stderr.ToString(), Does.Contain("Guest command did not finish within 2 s and was cancelled: sleep 60"));
            Assert.That(ProcessTable.Containing(output.Path), Is.Empty, "no QEMU left");
        });
    }

    /// <summary>
    /// The kernel reaches init, but init is `busybox sleep` (kernel arguments after "--" are init's argv): no SSH server
    /// ever starts. The boot fails at its limit with the console tail, and nothing is left running.
    /// </summary>
    [Test, CancelAfter(FiveMinutes)]
    public async Task A_guest_whose_ssh_server_never_starts_fails_the_boot_at_its_limit_with_the_console_tail(CancellationToken cancellationToken)
    {
        var arch = Checkout.Arch("x86_64");
        var image = await RealGuests.ImageAsync(arch, cancellationToken);
        using var logs = new TempDirectory();
        var consoleLog = logs.Combine("console.log");
        var request = new Harness.Vm.VmRequest(arch, RealGuests.Kernel(arch), image, TimeSpan.FromSeconds(30))
        {
            ConsoleLog = consoleLog,
            ExtraKernelArguments = ["rdinit=/bin/busybox", "--", "sleep", "600"],
        };

        var error = await Assert.ThrowsAsync<InfrastructureException>(() => Harness.Vm.QemuVm.StartAsync(request, RealGuests.Runner, cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("30 s"));
            Assert.That(error.Message, Does.Contain("Run /bin/busybox as init process"), "the console tail shows init started");
            Assert.That(ProcessTable.Containing(consoleLog), Is.Empty, "no QEMU left");
        });
    }

    private static string Config(TempDirectory output, int program = 120, int command = 300) => RunConfigs.WithLimits(output, program, command);

    private static string WithoutSkipsOf(params string[] programs) => ExpectationOverlays.WithoutSkipsOf(programs);

    private static ArchRun Results(TempDirectory output) =>
        ResultsJson.Deserialize(File.ReadAllText(Path.Combine(output.Combine("out"), ReportWriter.LatestLink, ReportWriter.ResultsFile))).Runs.Single();
}
