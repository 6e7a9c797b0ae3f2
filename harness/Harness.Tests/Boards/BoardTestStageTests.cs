using Harness.Errors;
using Harness.Reports;
using Harness.Ssh;
using Harness.Tests.Support;
using Harness.Verdicts;
using NUnit.Framework;
using static Harness.Tests.Boards.FakeBoard;

namespace Harness.Tests.Boards;

/// <summary>The board stage over a fake SSH session (the boundary): what it runs and uploads where, and how it fails.</summary>
public class BoardTestStageTests
{
    private TempDirectory _temp = null!;
    private FakeBoard _fake = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        _fake = new FakeBoard();
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test, CancelAfter(10_000)]
    public async Task Uploads_loader_and_objects_into_a_fresh_run_directory_runs_them_there_and_removes_it(CancellationToken cancellationToken)
    {
        var run = await RunAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(_fake.Uploads, Is.EqualTo(new[]
            {
                $"{_temp.Combine("harness-loader")} -> {RunDirectory}/harness-loader",
                $"{_temp.Combine("a.bpf.o")} -> {RunDirectory}/selftests/a.bpf.o",
            }));
            Assert.That(_fake.Commands, Does.Contain($"chmod 755 {RunDirectory}/harness-loader"));
            Assert.That(_fake.Commands, Does.Contain(
                $"echo $$ > {RunDirectory}/loader.pid && exec {RunDirectory}/harness-loader --timeout 120 --jobs {RunDirectory}/selftests/harness-jobs-1.txt"));
            Assert.That(_fake.Commands.Last(), Is.EqualTo($"rm -rf {RunDirectory}"));
            Assert.That((run.Target, run.Accelerator, run.KernelRelease), Is.EqualTo(("ssh rock-1 (127.0.0.1:2222)", "ssh", "6.12.117+")));
            Assert.That(run.Programs.Single().Outcome.Status, Is.EqualTo(OutcomeStatus.Pass));
            Assert.That(run.Error, Is.Null);
            Assert.That(_fake.Connects, Is.EqualTo(1), "one connection when nothing goes wrong");
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task A_failure_before_loading_is_this_kernels_error_naming_the_board_and_the_step(CancellationToken cancellationToken)
    {
        _fake.Respond = command => command.StartsWith("chmod", StringComparison.Ordinal) ? new CommandResult(1, "", "chmod: Read-only file system\n") : null;

        var run = await RunAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(run.Error, Does.StartWith($"ssh rock-1 (127.0.0.1:2222) failed during upload: 'chmod 755 {RunDirectory}/harness-loader' on the board exited with 1: chmod: Read-only file system"));
            Assert.That(run.Programs.Single().Outcome.Status, Is.EqualTo(OutcomeStatus.Error));
            Assert.That(_fake.Commands.Last(), Is.EqualTo($"rm -rf {RunDirectory}"), "the run directory is still removed");
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task Ctrl_C_while_loading_is_an_abort_and_still_removes_the_run_directory(CancellationToken cancellationToken)
    {
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _fake.Script = (_, _) =>
        {
            interrupt.Cancel();
            return "hang";
        };

        Assert.That(async () => await RunAsync(interrupt.Token), Throws.InstanceOf<OperationCanceledException>());

        Assert.That(_fake.Commands.Last(), Is.EqualTo($"rm -rf {RunDirectory}"));
    }

    [Test, CancelAfter(10_000)]
    public async Task Another_build_of_the_same_release_stops_the_run_before_anything_is_uploaded(CancellationToken cancellationToken)
    {
        _fake.Respond = command => command == "cat /proc/version" ? new CommandResult(0, Banner.Replace("#2 ", "#7 ") + "\n", "") : null;

        var error = (await Assert.ThrowsAsync<InfrastructureException>(() => RunAsync(cancellationToken)))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith("Board rock-1 (127.0.0.1:2222) does not run the x86_64 patched kernel the harness built (same release, another build"));
            Assert.That(error.Message, Does.Contain("#7 Wed").And.Contain("#2 Wed"));
            Assert.That(_fake.Uploads, Is.Empty);
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task A_kernel_log_the_user_may_not_read_is_a_note_not_an_error(CancellationToken cancellationToken)
    {
        _fake.Respond = command => command == "dmesg" ? new CommandResult(1, "", "dmesg: read kernel buffer failed: Operation not permitted\n") : null;

        var run = await RunAsync(cancellationToken);

        Assert.That((run.Error, run.Notes), Is.EqualTo(((string?)null, new[] { "root on rock-1 may not read the kernel log (dmesg): kernel splats during loading were not checked" })));
    }

    [Test, CancelAfter(10_000)]
    public async Task A_splat_no_program_explains_is_the_kernels_error(CancellationToken cancellationToken)
    {
        var dmesgReads = 0;
        _fake.Respond = command => command == "dmesg"
            ? new CommandResult(0, ++dmesgReads == 1 ? "[ 1.0] boot\n" : $"[ 1.0] boot\n[ 9.0] {Oops}\n", "")
            : null;

        var run = await RunAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(run.Error, Does.StartWith($"kernel splat on rock-1 during loading that no program explains: [ 9.0] {Oops}"));
            Assert.That(run.Programs.Single().Outcome.Status, Is.EqualTo(OutcomeStatus.Pass), "no program logged it");
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task A_held_loader_on_the_board_says_how_to_log_in_there(CancellationToken cancellationToken)
    {
        var progress = new RecordingProgress();
        _fake.Script = (key, _) => key == "a.bpf.o:p_ok" ? "held" : "accept";

        var run = await RunStageAsync(_temp, _fake, cancellationToken, configure: c => c with { HoldBefore = "a.bpf.o:p_ok" }, progress: progress);

        Assert.Multiple(() =>
        {
            Assert.That(_fake.Commands, Has.One.Contains("--hold-before a.bpf.o:p_ok --jobs"));
            Assert.That(progress.Lines, Has.Member(
                $"x86_64 load patched on rock-1: held before a.bpf.o:p_ok (pid 42): rm /tmp/harness-hold to go on; a shell there: " +
                $"ssh -i {_temp.Combine("id")} -p 2222 -o IdentitiesOnly=yes -o UserKnownHostsFile=/k -o StrictHostKeyChecking=yes root@127.0.0.1"));
            Assert.That(run.Programs.Single().Outcome.Status, Is.EqualTo(OutcomeStatus.Pass));
        });
    }

    private Task<ArchRun> RunAsync(CancellationToken cancellationToken) => RunStageAsync(_temp, _fake, cancellationToken);
}
