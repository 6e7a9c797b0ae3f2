using System.Diagnostics;
using Harness.Errors;
using Harness.Pipeline;
using Harness.Processes;
using Harness.Reports;
using Harness.Run;
using Harness.Selftests;
using Harness.Ssh;
using Harness.Verdicts;

namespace Harness.Boards;

/// <summary>
/// Runs one kernel's programs on a board instead of a QEMU guest: connects (host key checked against its
/// known_hosts before anything is sent), checks that it runs the expected kernel, uploads the loader and the
/// objects built on the host for its arch into a fresh directory under the board's work-dir, runs the loader
/// over all programs in one command, reads the kernel log for splats, and judges every program as the guest
/// stage does. A wrong host key or a wrong kernel stops the run (exit 2): its verdicts would mean nothing.
/// A failure after that (connection lost, loader crash) becomes this kernel's error, as in a guest.
/// The run directory on the board is removed at the end; the board itself is left as it was.
/// </summary>
public static class BoardTestStage
{
    /// <summary>Opens the session to a board (host key checked); replaced by a fake in tests.</summary>
    public delegate Task<IGuestSession> Connector(BoardTarget board, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>How long connecting to the board may take.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);

    public static async Task<ArchRun> RunAsync(StageContext context, BoardTarget board, GuestTestRequest request, CancellationToken cancellationToken,
        Connector? connect = null)
    {
        connect ??= async (b, timeout, ct) => await BoardConnection.ConnectAsync(b, timeout, ct);
        var arch = request.Arch.Name;
        var role = GuestTestStage.Name(request.Role);
        var stages = request.EarlierStages.ToList();
        var commandTimeout = TimeSpan.FromSeconds(context.Config.Timeouts.Command);
        var clock = Stopwatch.StartNew();
        context.Progress.Stage(arch, "board", $"{role} kernel on {board.Describe} as {board.User}, host key from {board.HostKeys.Source}");

        await using var session = await connect(board, ConnectTimeout, cancellationToken);
        var release = await BoardKernelCheck.VerifyAsync(session, board, request.Kernel, commandTimeout, cancellationToken);
        stages.Add(new StageTiming("connect", clock.Elapsed.TotalSeconds));
        context.Progress.Stage(arch, "board", $"{board.Name} runs {release}, the {role} kernel the harness built");

        string? runDirectory = null;
        var step = "upload";
        try
        {
            clock.Restart();
            runDirectory = await MakeRunDirectoryAsync(session, board, commandTimeout, cancellationToken);
            var objectDirectory = $"{runDirectory}/selftests";
            var loader = $"{runDirectory}/harness-loader";
            await MustAsync(session, $"mkdir {objectDirectory}", commandTimeout, cancellationToken);
            await session.UploadAsync(request.Tools.LoaderPath, loader, cancellationToken);
            await MustAsync(session, $"chmod 755 {loader}", commandTimeout, cancellationToken);
            foreach (var obj in request.Objects.Objects)
                await session.UploadAsync(obj, $"{objectDirectory}/{Path.GetFileName(obj)}", cancellationToken);
            stages.Add(new StageTiming("upload", clock.Elapsed.TotalSeconds));

            clock.Restart();
            step = "load";
            var logBefore = await KernelLogAsync(session, commandTimeout, cancellationToken);
            context.Progress.Stage(arch, "load", $"{request.Expectations.Count} programs on {board.Name} ({role} kernel)");
            var loaderTimeout = TimeSpan.FromSeconds(Math.Max(context.Config.Timeouts.Command,
                context.Config.Timeouts.Program * Math.Max(1, request.Expectations.Count) / 4));
            var loaded = await session.RunAsync($"{loader} {LoaderArguments(request, objectDirectory)}", loaderTimeout, cancellationToken);
            stages.Add(new StageTiming("load", clock.Elapsed.TotalSeconds));
            await File.WriteAllTextAsync(context.LogFile($"{arch}-{role}-loader"), loaded.Stdout + loaded.Stderr, cancellationToken);

            var (splat, notes) = await SplatsAsync(context, session, board, request, logBefore, commandTimeout, cancellationToken);
            string? loaderError = loaded.ExitCode == 0 ? null
                : $"the loader on {board.Name} exited with {loaded.ExitCode}: {string.Join(" / ", loaded.Stderr.Trim().Split('\n').TakeLast(5))}";
            var judged = RunJudge.Judge(arch, request.Role, request.Expectations, LoaderOutputParser.Parse(loaded.Stdout), request.Overlay, loaderError);
            context.Progress.Stage(arch, "load", $"{role} on {board.Name}: {judged.Count(p => p.Outcome.AsExpected)}/{judged.Count} as expected in {clock.Elapsed.TotalSeconds:F1} s");
            return OnBoard(board, request, release, stages, splat, judged) with { Notes = notes };
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
            if (runDirectory is not null) await RemoveAsync(session, runDirectory);
        }
    }

    /// <summary>A fresh directory under the board's work-dir, so runs (and other users' files there) never collide.</summary>
    private static async Task<string> MakeRunDirectoryAsync(IGuestSession session, BoardTarget board, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var made = await MustAsync(session, $"mkdir -p {ShellQuoting.Quote(board.WorkDirectory)} && mktemp -d {ShellQuoting.Quote(board.WorkDirectory + "/run-XXXXXX")}", timeout, cancellationToken);
        var directory = made.Stdout.Trim();
        if (!directory.StartsWith(board.WorkDirectory + "/run-", StringComparison.Ordinal))
            throw new InfrastructureException($"Board {board.Name}: mktemp under {board.WorkDirectory} printed '{directory}', not a directory there.");
        return directory;
    }

    private static async Task RemoveAsync(IGuestSession session, string runDirectory)
    {
        try
        {
            // Also after Ctrl-C: cleaning up the board is quick and must not take the run's (cancelled) token.
            await session.RunAsync($"rm -rf {ShellQuoting.Quote(runDirectory)}", TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        catch (HarnessException)
        {
            // The connection is gone; the run's own error says why. A leftover directory under work-dir is harmless.
        }
    }

    private static async Task<CommandResult> MustAsync(IGuestSession session, string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await session.RunAsync(command, timeout, cancellationToken);
        if (result.ExitCode != 0)
            throw new InfrastructureException($"'{command}' on the board exited with {result.ExitCode}: {result.Stderr.Trim()}");
        return result;
    }

    private static string LoaderArguments(GuestTestRequest request, string objectDirectory) =>
        string.Join(' ', LoaderPrograms.For(request.Expectations, request.Overlay, request.Arch.Name, request.Role)
            .Select(p => objectDirectory + p[LoaderPrograms.GuestObjectDirectory.Length..])
            .Select(p => "--prog " + ShellQuoting.Quote(p)));

    /// <summary>The kernel log's lines now, or null when the user may not read it (dmesg_restrict).</summary>
    private static async Task<IReadOnlyList<string>?> KernelLogAsync(IGuestSession session, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await session.RunAsync("dmesg", timeout, cancellationToken);
        return result.ExitCode == 0 && result.Stderr.Trim().Length == 0 ? result.Stdout.TrimEnd('\n').Split('\n') : null;
    }

    /// <summary>
    /// Oopses, BUGs, WARNINGs and KASAN reports the kernel logged while the loader ran (a board has no console
    /// the harness watches, so its log is read before and after). Known ones become notes, as in a guest.
    /// </summary>
    private static async Task<(string? Error, IReadOnlyList<string> Notes)> SplatsAsync(StageContext context, IGuestSession session,
        BoardTarget board, GuestTestRequest request, IReadOnlyList<string>? before, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (before is null)
            return (null, [$"{board.User} on {board.Name} may not read the kernel log (dmesg): kernel splats during loading were not checked"]);
        var log = BoardKernelLog.Since(before, await KernelLogAsync(session, timeout, cancellationToken) ?? []);
        await File.WriteAllLinesAsync(context.LogFile($"{request.Arch.Name}-{GuestTestStage.Name(request.Role)}-board-dmesg"), log, cancellationToken);
        return BoardKernelLog.Splats(log, request.Overlay, request.Arch.Name, request.Role, board.Name);
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
