using System.Text.Json;
using Harness.Errors;
using Harness.Processes;
using Harness.Reports;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.EndToEnd;

/// <summary>
/// `harness run` interrupted from outside: Ctrl-C and SIGTERM sent to the real binary (bin/harness, built by
/// `make build`), and a guest killed under the loader. The run must end promptly with its exit code, leave no
/// QEMU and no temp directory, write what finished, and the next run must work without cleanup.
/// Each run is x86_64 patched only, on the warm cache (~10 s).
/// </summary>
[Category("EndToEnd")]
[Category("Faults")]
[NonParallelizable]
public class RunInterruptEndToEndTests
{
    private const int TenMinutes = 600_000;

    /// <summary>
    /// Ctrl-C when the run prints its first line of <paramref name="stage"/>: the kernel is ready (host work on the
    /// loader, objects and image follows), or the boot starts (the KVM probe or QEMU running).
    /// </summary>
    [TestCase("kernel", "x86_64 "), TestCase("boot", "x86_64 boot"), CancelAfter(TenMinutes)]
    public async Task Ctrl_C_stops_every_child_writes_an_aborted_result_and_exits_130(string stage, string abortedDuring, CancellationToken cancellationToken)
    {
        using var scratch = new TempDirectory();

        var run = HarnessRun.Start(scratch, line => line.Contains($" {stage} ", StringComparison.Ordinal), cancellationToken);
        await run.SignalAsync("-INT", cancellationToken);
        var exitCode = await run.ExitCodeAsync();

        await AssertAbortedAndCleanAsync(scratch, exitCode, run, abortedDuring, cancellationToken);
    }

    [Test, CancelAfter(TenMinutes)]
    public async Task SIGTERM_while_the_loader_runs_stops_the_guest_writes_an_aborted_result_and_exits_130(CancellationToken cancellationToken)
    {
        using var scratch = new TempDirectory();

        var run = HarnessRun.Start(scratch, IsHeld, cancellationToken, hold: true);
        await run.SignalAsync("-TERM", cancellationToken);
        var exitCode = await run.ExitCodeAsync();

        await AssertAbortedAndCleanAsync(scratch, exitCode, run, "x86_64 load", cancellationToken);
    }

    /// <summary>
    /// Ctrl-C in a terminal signals the whole foreground process group: QEMU dies of it at the same moment, and its
    /// broken SSH session must not turn the abort into an error. The run gets a group of its own (setsid) here.
    /// </summary>
    [Test, CancelAfter(TenMinutes)]
    public async Task Ctrl_C_to_the_whole_process_group_while_the_loader_runs_is_an_abort_not_a_dead_guest(CancellationToken cancellationToken)
    {
        using var scratch = new TempDirectory();

        var run = HarnessRun.Start(scratch, IsHeld, cancellationToken, ownProcessGroup: true, hold: true);
        await run.SignalAsync("-INT", cancellationToken, wholeGroup: true);
        var exitCode = await run.ExitCodeAsync();

        await AssertAbortedAndCleanAsync(scratch, exitCode, run, "x86_64 load", cancellationToken);
        Assert.That(ReadResults(run.Output).GetProperty("runs").GetArrayLength(), Is.Zero, "the interrupted kernel is not reported as tested");
    }

    [Test, CancelAfter(TenMinutes)]
    public async Task A_guest_killed_under_the_loader_is_an_error_of_the_program_in_flight_and_the_rest_run_in_a_new_guest(CancellationToken cancellationToken)
    {
        using var scratch = new TempDirectory();

        var run = HarnessRun.Start(scratch, IsHeld, cancellationToken, hold: true);
        await run.Started;
        var qemu = ProcessTable.GuestQemus(run.Output);
        Assert.That(qemu, Has.Length.EqualTo(1), "the run's QEMU, found by its console log path");
        await Kill("-KILL", qemu[0].Pid, cancellationToken);
        var exitCode = await run.ExitCodeAsync();

        var results = ReadResults(run.Output);
        var outcomes = results.GetProperty("runs")[0].GetProperty("programs").EnumerateArray()
            .Select(p => p.GetProperty("outcome")).ToArray();
        var errors = outcomes.Where(o => o.GetProperty("status").GetString() == "error").ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.InfrastructureError), run.Transcript);
            Assert.That(errors, Has.Length.EqualTo(1), "only the program in flight");
            Assert.That(ErrorKeys(run.Output), Is.EqualTo(new[] { HeldProgram }), "the program in flight is the one held");
            Assert.That(errors.Select(o => o.GetProperty("reason").GetString()), Has.All.StartWith("the guest died while loading it (QEMU exited"));
            Assert.That(outcomes.Except(errors).Select(o => o.GetProperty("status").GetString()), Has.All.AnyOf("pass", "known-deviation", "skip"),
                "the programs after it got their verdicts in a new guest");
            Assert.That(ProcessTable.Containing(run.Output), Is.Empty, "processes of the run left behind");
        });
    }

    private static async Task AssertAbortedAndCleanAsync(TempDirectory scratch, int exitCode, HarnessRun run, string abortedDuring, CancellationToken cancellationToken)
    {
        var results = ReadResults(run.Output);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Interrupted), run.Transcript);
            Assert.That(results.GetProperty("aborted").GetBoolean(), Is.True);
            Assert.That(results.GetProperty("aborted_during").GetString(), Does.StartWith(abortedDuring));
            Assert.That(File.ReadAllText(Path.Combine(run.Output, ReportWriter.LatestLink, ReportWriter.SummaryFile)), Does.Contain("aborted during"));
            // QEMU's command line names the console log (under the output) and the VM's temp dir (under TMPDIR).
            Assert.That(ProcessTable.Containing(run.Output).Concat(ProcessTable.Containing(run.TempDirectory)), Is.Empty, "processes of the run left behind");
            Assert.That(Directory.GetFileSystemEntries(run.TempDirectory), Is.Empty, "temp directories of the run left behind");
        });

        var next = HarnessRun.Start(scratch, _ => false, cancellationToken, "next");
        Assert.That(await next.ExitCodeAsync(), Is.EqualTo(ExitCodes.Success), next.Transcript);
        Assert.That(next.Transcript, Does.Not.Contain("waiting for another harness run"), "a cache lock outlived the interrupted run");
    }

    /// <summary>
    /// The loader is held before this program (`run --hold-before`) until the test has acted: "while the loader
    /// runs" then means the same thing on an idle machine and a loaded one, instead of racing a 3 s loader.
    /// </summary>
    private const string HeldProgram = "async_mem.bpf.o:mem_read_in_bounds";

    /// <summary>The progress line of a held loader ("x86_64 load patched: held before ...").</summary>
    private static bool IsHeld(string line) => line.Contains(" load ", StringComparison.Ordinal) && line.Contains("held before " + HeldProgram, StringComparison.Ordinal);

    private static string[] ErrorKeys(string output) =>
        ResultsJson.Deserialize(File.ReadAllText(Path.Combine(output, ReportWriter.LatestLink, ReportWriter.ResultsFile))).Runs.Single().Programs
            .Where(p => p.Outcome.Status == Harness.Verdicts.OutcomeStatus.Error).Select(p => p.Key).ToArray();

    private static JsonElement ReadResults(string output) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(output, ReportWriter.LatestLink, ReportWriter.ResultsFile))).RootElement;

    private static async Task Kill(string signal, int pid, CancellationToken cancellationToken) =>
        await new ProcessRunner().RunAsync(ProcessSpec.Of("kill", signal, pid.ToString()), cancellationToken);

    private const string DefaultSigintThenExec =
        "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])";

    /// <summary>bin/harness run (x86_64, patched only) as a child process with its own output and temp directories.</summary>
    private sealed class HarnessRun
    {
        private readonly Task<ProcessResult> _process;
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly System.Text.StringBuilder _transcript = new();

        private HarnessRun(TempDirectory scratch, Func<string, bool> startedWhen, CancellationToken cancellationToken, string name, bool ownProcessGroup, bool hold)
        {
            Output = scratch.Combine(name, "out");
            TempDirectory = scratch.Combine(name, "tmp");
            Directory.CreateDirectory(TempDirectory);
            var binary = Path.Combine(Harness.Config.ProjectLayout.Locate().Root, "bin", "harness");
            Assert.That(File.Exists(binary), $"{binary} is missing: run `make build` first");
            string[] arguments = ["run", "--arch", "x86_64", "--no-baseline", "--output", Output, .. hold ? new[] { "--hold-before", HeldProgram } : []];
            // A test process started in the background without job control (a CI runner may do that) has SIGINT
            // ignored, and the harness would inherit it: python3 puts SIGINT back to its default, then execs.
            // setsid execs in place (the child is not a group leader), so the harness keeps the pid and leads its group.
            string[] command = ownProcessGroup ? ["setsid", binary, .. arguments] : [binary, .. arguments];
            var spec = new ProcessSpec("python3", ["-c", DefaultSigintThenExec, .. command]) with
            {
                Environment = new Dictionary<string, string?> { ["TMPDIR"] = TempDirectory },
                OnOutputLine = line =>
                {
                    lock (_transcript) _transcript.AppendLine(line);
                    if (startedWhen(line)) _started.TrySetResult();
                },
            };
            _process = new ProcessRunner().RunAsync(spec, cancellationToken);
            _ = _process.ContinueWith(_ => _started.TrySetException(new AssertionException($"the run ended before the awaited stage:\n{Transcript}")),
                TaskScheduler.Default);
        }

        public string Output { get; }
        public string TempDirectory { get; }
        public Task Started => _started.Task;
        public string Transcript { get { lock (_transcript) return _transcript.ToString(); } }

        public static HarnessRun Start(TempDirectory scratch, Func<string, bool> startedWhen, CancellationToken cancellationToken,
            string name = "run", bool ownProcessGroup = false, bool hold = false) =>
            new(scratch, startedWhen, cancellationToken, name, ownProcessGroup, hold);

        /// <summary>Waits for the awaited stage, then sends <paramref name="signal"/> to the harness process, or to its whole process group.</summary>
        public async Task SignalAsync(string signal, CancellationToken cancellationToken, bool wholeGroup = false)
        {
            await Started;
            var harness = ProcessTable.Find("--output " + Output).Where(p => p.CommandLine.Contains(" run ", StringComparison.Ordinal)).ToArray();
            Assert.That(harness, Has.Length.EqualTo(1), "the harness process, found by its --output");
            // A process started in the background without job control inherits SIGINT ignored; .NET keeps it so.
            var ignored = File.ReadAllLines($"/proc/{harness[0].Pid}/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
            Assert.That(Convert.ToUInt64(ignored.Split('\t')[1], 16) & (1UL << 1), Is.Zero,
                "SIGINT is ignored by the test process (started in the background without job control), so its children cannot be interrupted");
            if (wholeGroup)
                await new ProcessRunner().RunAsync(ProcessSpec.Of("kill", signal, "--", $"-{harness[0].Pid}"), cancellationToken);
            else
                await Kill(signal, harness[0].Pid, cancellationToken);
        }

        public async Task<int> ExitCodeAsync() => (await _process).ExitCode;
    }
}
