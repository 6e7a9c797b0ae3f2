using Harness.Boards;
using Harness.Reports;
using Harness.Ssh;
using Harness.Tests.Support;
using Harness.Verdicts;
using NUnit.Framework;
using static Harness.Tests.Boards.FakeBoard;

namespace Harness.Tests.Boards;

/// <summary>
/// Faults on a board, as in a QEMU guest: a splat is the program's whose load logged it, a broken connection, a hang or a
/// crashed loader is the program in flight's error and the programs after it still load (over a new connection; the
/// board is never rebooted by the harness), a board that does not come back leaves the rest as errors saying so.
/// </summary>
[Category("Faults")]
public class BoardFaultTests
{
    private static readonly string KillLoader = new BoardRunDirectory(RunDirectory).KillLeftoverLoader;

    private TempDirectory _temp = null!;
    private FakeBoard _board = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        _board = new FakeBoard();
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test, CancelAfter(10_000)]
    public async Task A_splat_in_a_programs_kmsg_is_that_programs_error_and_not_the_runs(CancellationToken cancellationToken)
    {
        _board.Script = (key, _) => key == "a.bpf.o:p2" ? "accept+oops" : "accept";

        var run = await RunAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(Statuses(run), Is.EqualTo(new[] { "p1 Pass", "p2 Error", "p3 Pass" }));
            Assert.That(Program(run, "p2").Outcome.Reason, Does.StartWith($"kernel splat while loading it: {Oops} (the program's verdict was accept"));
            Assert.That(Program(run, "p2").Outcome.RelevantLogLines.Select(l => l.Text), Has.Some.Contains("print_reg_state"));
            Assert.That(Program(run, "p2").Outcome.Attempts, Is.Empty, "a program that oopsed the kernel is not loaded again");
            Assert.That(run.Error, Is.Null, "the splat in the board's kernel log is explained by the program that logged it");
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task A_connection_that_breaks_while_loading_is_the_error_of_the_program_in_flight_and_the_rest_load_over_a_new_one(CancellationToken cancellationToken)
    {
        _board.Script = (key, attempt) => key == "a.bpf.o:p2" && attempt == 1 ? "break" : "accept";

        var run = await RunAsync(cancellationToken);

        var loaders = _board.Commands.Where(c => c.Contains("exec ", StringComparison.Ordinal)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(Statuses(run), Is.EqualTo(new[] { "p1 Pass", "p2 Error", "p3 Pass" }));
            Assert.That(Program(run, "p2").Outcome.Reason, Does.StartWith("the SSH connection broke while loading it: Guest command failed: the SSH connection to 127.0.0.1:2222 broke"));
            Assert.That(loaders, Has.Length.EqualTo(2));
            Assert.That(loaders[1], Does.EndWith($"--jobs {RunDirectory}/selftests/harness-jobs-2.txt"), "a fresh job file after the fault");
            Assert.That(_board.Jobs[1].Select(j => j.Key), Is.EqualTo(new[] { "a.bpf.o:p3" }));
            Assert.That(_board.Connects, Is.EqualTo(3), "the first connection, the check that the board still answers, the one the loader goes on over");
            Assert.That(_board.Commands, Has.Member("uname -r").And.Member(KillLoader), "the board is checked again and a leftover loader killed");
            Assert.That(_board.Commands.Last(), Is.EqualTo($"rm -rf {RunDirectory}"));
            Assert.That(run.Notes, Has.Some.StartWith("a.bpf.o:p2: the SSH connection broke")
                .And.Some.EndsWith("; the connection to rock-1 was dropped and 1 program(s) after it go on over a new SSH connection (the harness never reboots a board)"));
            Assert.That(run.Notes, Has.None.Contains("guest"), "a board is not a guest");
            Assert.That(run.Error, Is.Null);
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task A_board_that_does_not_come_back_leaves_the_programs_after_the_one_in_flight_as_errors_saying_so(CancellationToken cancellationToken)
    {
        _board.Script = (key, _) => key == "a.bpf.o:p2" ? "gone" : "accept";

        var run = await RunAsync(cancellationToken, config => config with { Timeouts = config.Timeouts with { Boot = 1 } });

        Assert.Multiple(() =>
        {
            Assert.That(Statuses(run), Is.EqualTo(new[] { "p1 Pass", "p2 Error", "p3 Error" }));
            Assert.That(Program(run, "p2").Outcome.Reason, Is.EqualTo(
                "rock-1 died while loading it (rock-1 did not answer a new SSH connection within 2 s: it crashed, hung, rebooted or lost its network)"));
            Assert.That(Program(run, "p2").Outcome.RelevantLogLines.Select(l => l.Text), Is.EqualTo(new[]
                { "(a board has no console the harness reads); rock-1 did not answer a new SSH connection, so its kernel log could not be read" }));
            Assert.That(Program(run, "p3").Outcome.Reason, Does.StartWith(
                "not loaded: the reboot after a fault failed: the board ssh rock-1 (127.0.0.1:2222) did not come back within 1 s (").And.Contain("the harness never power-cycles a board"));
            Assert.That(run.Notes, Has.Member("the kernel log of rock-1 could not be read after loading: kernel splats no program explains were not checked"));
        });
    }

    [Test, CancelAfter(20_000)]
    public async Task A_hung_loader_is_killed_on_the_board_and_the_programs_after_it_still_load(CancellationToken cancellationToken)
    {
        _board.Script = (key, attempt) => key == "a.bpf.o:p2" && attempt == 1 ? "hang" : "accept";

        var run = await RunAsync(cancellationToken, config => config with { Timeouts = config.Timeouts with { Program = 0 } });

        var killed = _board.Commands.IndexOf(KillLoader);
        Assert.Multiple(() =>
        {
            Assert.That(Statuses(run), Is.EqualTo(new[] { "p1 Pass", "p2 Error", "p3 Pass" }));
            Assert.That(Program(run, "p2").Outcome.Reason, Is.EqualTo(
                "no result within 5 s (timeouts: program, plus a grace for the loader's own limit): rock-1 or the loader hung; the loader on rock-1 was killed (the harness never reboots a board)"));
            Assert.That(Program(run, "p2").Outcome.RelevantLogLines[0].Text, Is.EqualTo("(a board has no console the harness reads); the kernel log of rock-1 (dmesg) read over a new SSH connection:"));
            Assert.That(killed, Is.GreaterThan(0));
            Assert.That(_board.Commands.Skip(killed).Count(c => c.Contains("exec ", StringComparison.Ordinal)), Is.EqualTo(1), "p3 loads after the kill");
        });
    }

    [Test, CancelAfter(20_000)]
    public async Task A_board_that_reboots_itself_is_gone_for_the_program_in_flight_and_the_programs_after_it_load_once_it_is_back(CancellationToken cancellationToken)
    {
        _board.Script = (key, attempt) =>
        {
            if (key != "a.bpf.o:p2" || attempt > 1) return "accept";
            // Longer than the 2 s a broken connection waits for the board to answer: it is gone, then back.
            _board.RefuseUntil = DateTime.UtcNow + TimeSpan.FromSeconds(3);
            return "break";
        };

        var run = await RunAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(Statuses(run), Is.EqualTo(new[] { "p1 Pass", "p2 Error", "p3 Pass" }));
            Assert.That(Program(run, "p2").Outcome.Reason, Does.StartWith("rock-1 died while loading it (rock-1 did not answer a new SSH connection within 2 s"));
            Assert.That(_board.Commands.Count(c => c == "cat /proc/version"), Is.EqualTo(2), "the kernel is checked again once the board is back");
            Assert.That(run.Error, Is.Null);
        });
    }

    [Test, CancelAfter(20_000)]
    public async Task Ctrl_C_while_a_hung_loader_is_being_killed_is_an_abort_and_still_removes_the_run_directory(CancellationToken cancellationToken)
    {
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _board.Script = (key, _) => key == "a.bpf.o:p2" ? "hang" : "accept";
        _board.Respond = command =>
        {
            if (command == KillLoader && _board.Commands.Count(c => c == KillLoader) == 1) interrupt.Cancel();
            return null;
        };

        Assert.That(async () => await RunAsync(interrupt.Token, config => config with { Timeouts = config.Timeouts with { Program = 0 } }),
            Throws.InstanceOf<OperationCanceledException>());

        Assert.That(_board.Commands.Last(), Is.EqualTo($"rm -rf {RunDirectory}"));
    }

    [Test, CancelAfter(10_000)]
    public async Task A_crashed_loader_is_the_error_of_the_program_in_flight_and_the_rest_load_over_the_same_connection(CancellationToken cancellationToken)
    {
        _board.Script = (key, attempt) => key == "a.bpf.o:p2" && attempt == 1 ? "crash" : "accept";

        var run = await RunAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(Statuses(run), Is.EqualTo(new[] { "p1 Pass", "p2 Error", "p3 Pass" }));
            Assert.That(Program(run, "p2").Outcome.Reason, Is.EqualTo("the loader crashed while loading it (exit -1: killed by SIGSEGV)"));
            Assert.That(_board.Connects, Is.EqualTo(2), "the first connection and the check that the board still answers");
            Assert.That(run.Notes, Is.Empty, "the board was not given up");
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task A_program_whose_result_changes_on_a_retry_is_flaky_and_is_retried_from_the_boards_run_directory(CancellationToken cancellationToken)
    {
        _board.Script = (key, attempt) => key == "a.bpf.o:p1" && attempt == 1 ? "reject" : "accept";

        var run = await RunAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(Statuses(run), Is.EqualTo(new[] { "p1 Flaky", "p2 Pass", "p3 Pass" }));
            Assert.That(Program(run, "p1").Outcome.Attempts, Has.Count.EqualTo(2));
            Assert.That(_board.Jobs.Last().Select(j => j.ObjectPath + ":" + j.Program), Is.EqualTo(new[] { $"{RunDirectory}/selftests/a.bpf.o:p1" }));
            Assert.That(_board.JobFiles.Paths, Has.All.StartWith($"{RunDirectory}/selftests/harness-jobs-"), "the job files go next to the board's objects");
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task A_board_that_comes_back_on_another_kernel_runs_nothing_more(CancellationToken cancellationToken)
    {
        var broke = false;
        _board.Script = (key, _) => key == "a.bpf.o:p2" && (broke = true) ? "break" : "accept";
        _board.Respond = command => command == "cat /proc/version" && broke ? new CommandResult(0, Banner.Replace("#2 ", "#9 ") + "\n", "") : null;

        var run = await RunAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(Statuses(run), Is.EqualTo(new[] { "p1 Pass", "p2 Error", "p3 Error" }));
            Assert.That(Program(run, "p3").Outcome.Reason, Does.StartWith(
                "not loaded: the reboot after a fault failed: Board rock-1 (127.0.0.1:2222) does not run the x86_64 patched kernel the harness built (same release, another build"));
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task A_run_directory_a_reboot_took_is_uploaded_again(CancellationToken cancellationToken)
    {
        var broke = false;
        _board.Script = (key, attempt) => key == "a.bpf.o:p2" && attempt == 1 && (broke = true) ? "break" : "accept";
        _board.Respond = command => command.StartsWith("test -x", StringComparison.Ordinal) && broke ? new CommandResult(1, "", "") : null;

        var run = await RunAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(Statuses(run), Is.EqualTo(new[] { "p1 Pass", "p2 Error", "p3 Pass" }));
            Assert.That(_board.Uploads.Count(u => u.EndsWith($"{RunDirectory}/harness-loader", StringComparison.Ordinal)), Is.EqualTo(2));
        });
    }

    private Task<ArchRun> RunAsync(CancellationToken cancellationToken, Func<Harness.Config.RunConfig, Harness.Config.RunConfig>? configure = null) =>
        RunStageAsync(_temp, _board, cancellationToken, programs: 3, configure, reachLimit: TimeSpan.Zero);

    private static ProgramResult Program(ArchRun run, string name) => run.Programs.Single(p => p.Expectation.Program == name);

    private static IReadOnlyList<string> Statuses(ArchRun run) => run.Programs.Select(p => $"{p.Expectation.Program} {p.Outcome.Status}").ToArray();
}
