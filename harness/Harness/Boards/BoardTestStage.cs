using System.Diagnostics;
using Harness.Errors;
using Harness.Pipeline;
using Harness.Processes;
using Harness.Reports;
using Harness.Run;
using Harness.Ssh;
using Harness.Verdicts;

namespace Harness.Boards;

/// <summary>
/// Runs one kernel's programs on a board instead of a QEMU guest: connects (host key checked against its
/// known_hosts before anything is sent), checks that it runs the expected kernel, uploads the loader and the
/// objects built on the host for its arch into a fresh directory under the board's work-dir, and loads and judges
/// the programs as a guest does (<see cref="ProgramLoading"/>): the loader's output is read line by line, each
/// program's kernel messages (the loader's kmsg) pin a splat to it, a hang or a crashed loader is an error of the
/// program in flight and the loader goes on after it, programs not as expected are retried. A board is never
/// rebooted by the harness: when its connection breaks it is connected to again (a board rebooted by its watchdog
/// may come back within timeouts: boot), or the programs left are errors saying it did not come back. The kernel
/// log, read before and after, catches the splats no program explains. A wrong host key or a wrong kernel stops the
/// run (exit 2): its verdicts would mean nothing. The run directory on the board is removed at the end.
/// </summary>
public static partial class BoardTestStage
{
    /// <summary>Opens the session to a board (host key checked); replaced by a fake in tests.</summary>
    public delegate Task<IGuestSession> Connector(BoardTarget board, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>How long connecting to the board may take.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);

    /// <summary>After a broken connection or a hang, a board that does not answer a new SSH connection this soon is gone.</summary>
    public static readonly TimeSpan DefaultReachLimit = TimeSpan.FromSeconds(15);

    public static async Task<ArchRun> RunAsync(StageContext context, BoardTarget board, GuestTestRequest request, CancellationToken cancellationToken,
        Connector? connect = null, TimeSpan? reachLimit = null)
    {
        connect ??= async (b, timeout, ct) => await BoardConnection.ConnectAsync(b, timeout, ct);
        var arch = request.Arch.Name;
        var role = GuestTestStage.Name(request.Role);
        var stages = request.EarlierStages.ToList();
        var commandTimeout = TimeSpan.FromSeconds(context.Config.Timeouts.Command);
        var clock = Stopwatch.StartNew();
        context.Progress.Stage(arch, "board", $"{role} kernel on {board.Describe} as {board.User}, host key from {board.HostKeys.Source}");

        await using var sessions = new BoardSessions(board, connect);
        var setup = await sessions.OpenAsync(ConnectTimeout, cancellationToken);
        var release = await BoardKernelCheck.VerifyAsync(setup, board, request.Kernel, commandTimeout, cancellationToken);
        stages.Add(new StageTiming("connect", clock.Elapsed.TotalSeconds));
        context.Progress.Stage(arch, "board", $"{board.Name} runs {release}, the {role} kernel the harness built");

        BoardRunDirectory? runDirectory = null;
        var step = "upload";
        try
        {
            clock.Restart();
            runDirectory = await MakeRunDirectoryAsync(setup, board, commandTimeout, cancellationToken);
            await UploadAsync(setup, request, runDirectory, commandTimeout, cancellationToken);
            stages.Add(new StageTiming("upload", clock.Elapsed.TotalSeconds));

            step = "load";
            var logBefore = await KernelLogAsync(setup, commandTimeout, cancellationToken);
            var files = runDirectory;
            var reach = reachLimit ?? DefaultReachLimit;

            // "Rebooting" a board after a fault: connecting again until it answers, never power-cycling it.
            async Task<ILoaderGuest> ReachAsync(int boot, CancellationToken ct)
            {
                if (boot == 0) return new BoardLoaderGuest(setup, sessions, files, reach);
                var back = await sessions.UntilBackAsync(TimeSpan.FromSeconds(context.Config.Timeouts.Boot), ct);
                await ReadyAgainAsync(back, board, request, files, commandTimeout, ct);
                return new BoardLoaderGuest(back, sessions, files, reach);
            }

            await using var loads = new GuestLoads(ProgramLoading.Settings(context, files.LoaderCommand) with { Words = GuestWords.Board(board.Name) }, ReachAsync,
                message => context.Progress.Stage(arch, "fault", $"{role} on {board.Name}: {message}"),
                held: message => context.Progress.Stage(arch, "load", $"{role} on {board.Name}: {message}"));
            await loads.GuestAsync(cancellationToken);
            var (judged, notes) = await ProgramLoading.RunAsync(context, request, loads, files.Objects, $"{board.Name} ({role} kernel)", stages, cancellationToken);

            var (splat, splatNotes) = await SplatsAsync(context, sessions, board, request, logBefore, loads, commandTimeout, reach, cancellationToken);
            context.Progress.Stage(arch, "load", $"{role} on {board.Name}: {judged.Count(p => p.Outcome.AsExpected)}/{judged.Count} as expected in " +
                $"{stages.Last(s => s.Stage == "load").Seconds:F1} s" + (loads.Reboots > 0 ? $", connected again {loads.Reboots} time(s) after faults" : ""));
            return OnBoard(board, request, release, stages, splat, judged) with { Notes = notes.Concat(splatNotes).Concat(loads.Events).Distinct().ToArray() };
        }
        catch (HarnessException e) when (e is not BadInputException)
        {
            if (Interrupts.Arrived(cancellationToken)) throw new OperationCanceledException("interrupted", e, cancellationToken);
            var reason = $"{board.Describe} failed during {step}: {e.Message}";
            context.Progress.Stage(arch, "error", $"{role}: {reason.Split('\n')[0]}");
            return OnBoard(board, request, release, stages, reason,
                RunJudge.Judge(arch, request.Role, request.Expectations, null, request.Overlay, reason.Split('\n')[0]));
        }
        finally
        {
            if (runDirectory is not null && sessions.Live is { } live) await RemoveAsync(live, runDirectory);
        }
    }

    /// <summary>
    /// A board that answers again after a fault: it must still run the kernel the run means (a watchdog may have booted
    /// another one), a loader left running is killed, and the run directory is uploaded again if a reboot took it.
    /// </summary>
    private static async Task ReadyAgainAsync(IGuestSession session, BoardTarget board, GuestTestRequest request, BoardRunDirectory files,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        await BoardKernelCheck.VerifyAsync(session, board, request.Kernel, timeout, cancellationToken);
        await session.RunAsync(files.KillLeftoverLoader, timeout, cancellationToken);
        if ((await session.RunAsync(files.StillThere, timeout, cancellationToken)).ExitCode == 0) return;
        await MustAsync(session, $"mkdir -p {ShellQuoting.Quote(files.Path)}", timeout, cancellationToken);
        await UploadAsync(session, request, files, timeout, cancellationToken);
    }

    /// <summary>One kernel's result on a board: the board stands where the accelerator would.</summary>
    private static ArchRun OnBoard(BoardTarget board, GuestTestRequest request, string release, IReadOnlyList<StageTiming> stages, string? error,
        IReadOnlyList<ProgramResult> programs) => new()
    {
        Arch = request.Arch.Name,
        Kernel = request.Role,
        KernelRelease = release,
        Accelerator = "ssh",
        Target = board.Describe,
        Stages = stages,
        Error = error,
        Programs = programs,
    };
}
