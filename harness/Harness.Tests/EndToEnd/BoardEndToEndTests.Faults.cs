using Harness.Cli;
using Harness.Errors;
using Harness.Reports;
using Harness.Ssh;
using Harness.Tests.Support;
using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.EndToEnd;

/// <summary>
/// Faults on the board handled as in a QEMU guest: a verifier oops pinned to its program by the loader's kmsg, a loader
/// that hangs (killed on the board, never a reboot), a connection that breaks under the loader (connected to again).
/// </summary>
public partial class BoardEndToEndTests
{
    /// <summary>
    /// wq_null_map_start, un-skipped, oopses the patched kernel's verifier on the board: the loader's kmsg pins the
    /// splat to its program, the loader goes on, and the board's kernel log holds no splat that no program explains.
    /// </summary>
    [Category("Faults")]
    [Test, CancelAfter(2 * Minute)]
    public async Task A_program_that_oopses_the_boards_kernel_is_an_error_carrying_their_splat_and_every_other_program_keeps_its_verdict(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var board = WriteBoard("patched", KnownHostsLine(_board.Endpoint.HostPublicKey));
        var overlay = output.Write("expectations.yaml", ExpectationOverlays.WithoutSkipsOf("wq_null_map_start"));

        var exitCode = await Program.Main(["run", "--arch", "x86_64", "--no-baseline", "--target", board, "--expectations", overlay, "--output", output.Combine("out")]);

        var run = RunOf(output);
        var errors = run.Programs.Where(p => p.Outcome.Status == OutcomeStatus.Error).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(run.Target, Is.EqualTo($"ssh e2e-board (127.0.0.1:{_board.SshPort})"));
            Assert.That(exitCode, Is.EqualTo(ExitCodes.InfrastructureError));
            // wq_null_map_unused is accepted at test_loader's log level 0, where R1 (the NULL map) is never printed: no oops.
            Assert.That(errors.Select(p => p.Expectation.Program), Is.EquivalentTo(new[] { "wq_null_map_start" }));
            Assert.That(errors.Select(p => p.Outcome.Reason), Is.All.StartWith("kernel splat while loading it: BUG: kernel NULL pointer dereference"));
            Assert.That(errors.Select(p => string.Join('\n', p.Outcome.RelevantLogLines.Select(l => l.Text))), Is.All.Contains("check_kfunc_call"));
            Assert.That(run.Programs.Except(errors).Select(p => p.Outcome.AsExpected), Is.All.True, "every other program has its normal verdict");
            Assert.That(run.Programs.Except(errors).Count(p => p.Load is not null), Is.GreaterThan(25), "the programs after the oopses were loaded");
            Assert.That(run.Error, Is.Null, "every splat in the board's kernel log is explained by the program that logged it");
        });
    }

    /// <summary>
    /// Every harness-loader process on the board is stopped (kill -STOP, from the test's own session) as soon as one runs:
    /// no result comes within the program limit, the harness kills the loader on the board over a new connection (it never
    /// reboots a board), and the programs after the one in flight load over another connection. Nothing is left running there.
    /// </summary>
    [Category("Faults")]
    [Test, CancelAfter(3 * Minute)]
    public async Task A_loader_that_hangs_on_the_board_is_killed_there_and_the_programs_after_it_still_load(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var board = WriteBoard("patched", KnownHostsLine(_board.Endpoint.HostPublicKey));
        var config = RunConfigs.WithLimits(output, program: 3);
        var stop = _board.Session.RunAsync("while ! p=$(pidof harness-loader); do usleep 20000; done; kill -STOP $p; echo stopped $p",
            TimeSpan.FromMinutes(2), cancellationToken);

        var exitCode = await Program.Main(["run", "--config", config, "--arch", "x86_64", "--no-baseline", "--target", board, "--output", output.Combine("out")]);

        var stopped = await stop;
        var left = await _board.Session.RunAsync("pidof harness-loader; ls -A /tmp/harness-board", TimeSpan.FromSeconds(30), cancellationToken);
        var run = RunOf(output);
        var errors = run.Programs.Where(p => p.Outcome.Status == OutcomeStatus.Error).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(stopped.Stdout, Does.StartWith("stopped "));
            Assert.That(exitCode, Is.EqualTo(ExitCodes.InfrastructureError));
            Assert.That(errors.Select(p => p.Outcome.Reason), Is.EqualTo(new[]
            {
                "no result within 8 s (timeouts: program, plus a grace for the loader's own limit): e2e-board or the loader hung; " +
                "the loader on e2e-board was killed (the harness never reboots a board)",
            }));
            Assert.That(run.Programs.Except(errors).Select(p => p.Outcome.AsExpected), Is.All.True, "every other program has its normal verdict");
            Assert.That(run.Programs.Except(errors).Count(p => p.Load is not null), Is.GreaterThan(25), "the programs after it were loaded");
            Assert.That(run.Error, Is.Null);
            Assert.That(left.Stdout.Trim(), Is.Empty, "no loader left on the board, and its run directory removed");
        });
    }

    /// <summary>
    /// The SSH server's process that serves the loader's connection is killed on the board (from the test's own session)
    /// as soon as the loader runs: the connection breaks under the loader while the board stays up. The program in flight
    /// is the error, the board is connected to again, the loader left behind is killed, and the rest load.
    /// </summary>
    [Category("Faults")]
    [Test, CancelAfter(3 * Minute)]
    public async Task A_connection_that_breaks_under_the_loader_costs_only_the_program_in_flight(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var board = WriteBoard("patched", KnownHostsLine(_board.Endpoint.HostPublicKey));
        var cut = _board.Session.RunAsync(
            "while true; do for q in $(pidof harness-loader); do pp=$(cut -d' ' -f4 /proc/$q/stat); " +
            "if [ \"$(cat /proc/$pp/comm)\" = dropbear ]; then kill -9 $pp; echo killed $pp; exit 0; fi; done; usleep 20000; done",
            TimeSpan.FromMinutes(2), cancellationToken);

        var exitCode = await Program.Main(["run", "--arch", "x86_64", "--no-baseline", "--target", board, "--output", output.Combine("out")]);

        var killed = await cut;
        var left = await _board.Session.RunAsync("pidof harness-loader; ls -A /tmp/harness-board", TimeSpan.FromSeconds(30), cancellationToken);
        var run = RunOf(output);
        var errors = run.Programs.Where(p => p.Outcome.Status == OutcomeStatus.Error).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(killed.Stdout, Does.StartWith("killed "));
            Assert.That(exitCode, Is.EqualTo(ExitCodes.InfrastructureError));
            Assert.That(errors.Select(p => p.Outcome.Reason).ToArray(), Has.Length.EqualTo(1).And.All.StartWith("the SSH connection broke while loading it: "));
            Assert.That(run.Programs.Except(errors).Select(p => p.Outcome.AsExpected), Is.All.True, "every other program has its normal verdict");
            Assert.That(run.Programs.Except(errors).Count(p => p.Load is not null), Is.GreaterThan(25), "the programs after it were loaded");
            Assert.That(run.Notes, Has.Some.Contains("go on over a new SSH connection (the harness never reboots a board)"));
            Assert.That(run.Error, Is.Null);
            Assert.That(left.Stdout.Trim(), Is.Empty, "no loader left on the board, and its run directory removed");
        });
    }

    /// <summary>
    /// A connection whose server process died: the next command on it is an InfrastructureException naming the broken
    /// connection (what the board stage and GuestLoads catch), never a raw SSH.NET exception, however SSH.NET notices.
    /// </summary>
    [Category("Faults")]
    [Test, CancelAfter(Minute)]
    public async Task A_command_on_a_connection_that_broke_is_an_infrastructure_error_naming_the_connection(CancellationToken cancellationToken)
    {
        await using var session = await GuestSession.ConnectAsync(_board.Endpoint, DateTimeOffset.UtcNow.AddSeconds(30), cancellationToken);
        var server = (await session.RunAsync("echo $PPID", TimeSpan.FromSeconds(30), cancellationToken)).Stdout.Trim();
        await _board.Session.RunAsync($"kill -9 {server}", TimeSpan.FromSeconds(30), cancellationToken);

        var errors = new List<Exception>();
        for (var i = 0; i < 3; i++)
        {
            try
            {
                await session.RunAsync("true", TimeSpan.FromSeconds(10), cancellationToken);
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        }

        Assert.That(errors.Select(e => $"{e.GetType().Name}: {e.Message}").ToArray(),
            Has.Length.EqualTo(3).And.All.StartWith($"InfrastructureException: Guest command failed: the SSH connection to 127.0.0.1:{_board.SshPort} broke"));
    }

    private static ArchRun RunOf(TempDirectory output) =>
        ResultsJson.Deserialize(File.ReadAllText(Path.Combine(output.Combine("out"), ReportWriter.LatestLink, ReportWriter.ResultsFile))).Runs.Single();
}
