using Harness.Boards;
using Harness.Build;
using Harness.Errors;
using Harness.Reports;
using Harness.Run;
using Harness.Selftests;
using Harness.Ssh;
using Harness.Tests.Support;
using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Boards;

/// <summary>The board stage over a fake SSH session (the boundary): what it runs and uploads where, and how it fails.</summary>
public class BoardTestStageTests
{
    private const string Banner = "Linux version 6.12.117+ (root@vm) (gcc (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #2 Wed Nov 25 03:18:53 UTC 2026";
    private const string RunDirectory = "/tmp/harness-board/run-Ab12Cd";
    private const string LoaderLine =
        """{"object":"a.bpf.o","program":"p_ok","section":"tc","verdict":"accept","errno":0,"error":"","insns_processed":3,"peak_states":1,"total_states":1,"max_states_per_insn":0,"verify_usec":10,"log":""}""";

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
            Assert.That(_fake.Commands, Does.Contain($"{RunDirectory}/harness-loader --prog {RunDirectory}/selftests/a.bpf.o:p_ok"));
            Assert.That(_fake.Commands.Last(), Is.EqualTo($"rm -rf {RunDirectory}"));
            Assert.That((run.Target, run.Accelerator, run.KernelRelease), Is.EqualTo(("ssh rock-1 (127.0.0.1:2222)", "ssh", "6.12.117+")));
            Assert.That(run.Programs.Single().Outcome.Status, Is.EqualTo(OutcomeStatus.Pass));
            Assert.That(run.Error, Is.Null);
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task A_connection_lost_while_loading_is_this_kernels_error_naming_the_board_and_the_step(CancellationToken cancellationToken)
    {
        _fake.Respond = command => command.Contains("harness-loader --prog", StringComparison.Ordinal)
            ? throw new InfrastructureException("Guest command failed: the SSH connection to 127.0.0.1:2222 broke (Connection reset)")
            : null;

        var run = await RunAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(run.Error, Does.StartWith("ssh rock-1 (127.0.0.1:2222) failed during load: Guest command failed: the SSH connection to 127.0.0.1:2222 broke"));
            Assert.That(run.Programs.Single().Outcome.Status, Is.EqualTo(OutcomeStatus.Error));
            Assert.That(_fake.Commands.Last(), Is.EqualTo($"rm -rf {RunDirectory}"), "the run directory is still removed");
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task Ctrl_C_while_loading_is_an_abort_and_still_removes_the_run_directory(CancellationToken cancellationToken)
    {
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _fake.Respond = command =>
        {
            if (!command.Contains("harness-loader --prog", StringComparison.Ordinal)) return null;
            interrupt.Cancel();
            throw new OperationCanceledException(interrupt.Token);
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
    public async Task A_splat_logged_while_loading_is_the_kernels_error(CancellationToken cancellationToken)
    {
        var dmesgReads = 0;
        _fake.Respond = command => command == "dmesg"
            ? new CommandResult(0, ++dmesgReads == 1 ? "[ 1.0] boot\n" : "[ 1.0] boot\n[ 9.0] BUG: kernel NULL pointer dereference, address: 0000000000000008\n", "")
            : null;

        var run = await RunAsync(cancellationToken);

        Assert.That(run.Error, Does.StartWith("kernel splat on rock-1 during loading: [ 9.0] BUG: kernel NULL pointer dereference"));
    }

    private async Task<ArchRun> RunAsync(CancellationToken cancellationToken)
    {
        var arch = Checkout.Arch("x86_64");
        var context = TestContexts.Create(TestContexts.Config(_temp, arch));
        Directory.CreateDirectory(context.LogDirectory);
        var vmlinux = _temp.Write("vmlinux", "\0\0Linux version 6.12.117+ (root@vm) (gcc) # SMP \0" + Banner + "\n\0tail");
        var loader = _temp.Write("harness-loader", "ELF");
        var obj = _temp.Write("a.bpf.o", "ELF");
        var kernel = new KernelArtifacts("x86_64", "patched", _temp.Combine("bzImage"), vmlinux, _temp.Combine(".config"), "k", true, TimeSpan.Zero);
        var expectation = new ProgramExpectation { Object = "a.bpf.o", Program = "p_ok", Section = "tc", Verdict = ExpectedVerdict.Success, HasExpectations = true };
        var request = new GuestTestRequest(arch, KernelRole.Patched, kernel, new GuestTools("x86_64", loader),
            new CompiledSelftests("x86_64", "key", _temp.Path, [obj]), [expectation], ExpectationOverlay.Empty, []);
        var board = new BoardTarget("rock-1", arch, KernelRole.Patched, "127.0.0.1", 2222, "root", _temp.Combine("id"),
            new BoardHostKeys(["ssh-ed25519 AAAA"], "known_hosts /k"), "/tmp/harness-board", "board.yaml:1:1");
        return await BoardTestStage.RunAsync(context, board, request, cancellationToken, (_, _, _) => Task.FromResult<IGuestSession>(_fake));
    }

    /// <summary>A board that answers like the harness guest; <see cref="Respond"/> overrides one command's answer (null: the default).</summary>
    private sealed class FakeBoard : IGuestSession
    {
        public List<string> Commands { get; } = [];
        public List<string> Uploads { get; } = [];
        public Func<string, CommandResult?> Respond { get; set; } = _ => null;

        public Task<CommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Commands.Add(command);
            return Task.FromResult(Respond(command) ?? Default(command));
        }

        private static CommandResult Default(string command) => command switch
        {
            "uname -r" => new(0, "6.12.117+\n", ""),
            "cat /proc/version" => new(0, Banner + "\n", ""),
            "dmesg" => new(0, "[ 1.0] boot\n", ""),
            _ when command.Contains("mktemp -d", StringComparison.Ordinal) => new(0, RunDirectory + "\n", ""),
            _ when command.Contains("harness-loader --prog", StringComparison.Ordinal) => new(0, LoaderLine + "\n", ""),
            _ => new(0, "", ""),
        };

        public Task UploadAsync(string localPath, string remotePath, CancellationToken cancellationToken)
        {
            Uploads.Add($"{localPath} -> {remotePath}");
            return Task.CompletedTask;
        }

        public Task DownloadAsync(string remotePath, string localPath, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
