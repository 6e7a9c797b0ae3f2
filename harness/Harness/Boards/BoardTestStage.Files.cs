using Harness.Errors;
using Harness.Pipeline;
using Harness.Processes;
using Harness.Run;
using Harness.Ssh;

namespace Harness.Boards;

public static partial class BoardTestStage
{
    /// <summary>A fresh directory under the board's work-dir, so runs (and other users' files there) never collide.</summary>
    private static async Task<BoardRunDirectory> MakeRunDirectoryAsync(IGuestSession session, BoardTarget board, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var made = await MustAsync(session, $"mkdir -p {ShellQuoting.Quote(board.WorkDirectory)} && mktemp -d {ShellQuoting.Quote(board.WorkDirectory + "/run-XXXXXX")}", timeout, cancellationToken);
        var directory = made.Stdout.Trim();
        if (!directory.StartsWith(board.WorkDirectory + "/run-", StringComparison.Ordinal))
            throw new InfrastructureException($"Board {board.Name}: mktemp under {board.WorkDirectory} printed '{directory}', not a directory there.");
        return new BoardRunDirectory(directory);
    }

    /// <summary>The loader and the objects built on the host for the board's arch, into the run directory.</summary>
    private static async Task UploadAsync(IGuestSession session, GuestTestRequest request, BoardRunDirectory files, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await MustAsync(session, $"mkdir -p {ShellQuoting.Quote(files.Objects)}", timeout, cancellationToken);
        await session.UploadAsync(request.Tools.LoaderPath, files.Loader, cancellationToken);
        await MustAsync(session, $"chmod 755 {ShellQuoting.Quote(files.Loader)}", timeout, cancellationToken);
        foreach (var obj in request.Objects.Objects)
            await session.UploadAsync(obj, $"{files.Objects}/{Path.GetFileName(obj)}", cancellationToken);
    }

    /// <summary>Kills a loader a fault left running, then removes the run directory.</summary>
    private static async Task RemoveAsync(IGuestSession session, BoardRunDirectory files)
    {
        try
        {
            // Also after Ctrl-C: cleaning up the board is quick and must not take the run's (cancelled) token.
            await session.RunAsync(files.KillLeftoverLoader, TimeSpan.FromSeconds(10), CancellationToken.None);
            await session.RunAsync($"rm -rf {ShellQuoting.Quote(files.Path)}", TimeSpan.FromSeconds(10), CancellationToken.None);
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

    /// <summary>The kernel log's lines now, or null when the user may not read it (dmesg_restrict).</summary>
    private static async Task<IReadOnlyList<string>?> KernelLogAsync(IGuestSession session, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await session.RunAsync("dmesg", timeout, cancellationToken);
        return result.ExitCode == 0 && result.Stderr.Trim().Length == 0 ? result.Stdout.TrimEnd('\n').Split('\n') : null;
    }

    /// <summary>
    /// Oopses, BUGs, WARNINGs and KASAN reports the kernel logged while the loader ran that no program explains (its kmsg,
    /// or a fault's evidence): a board has no console the harness watches, so its log is read before and after (over a
    /// new connection if the last one broke). Known ones become notes, as in a guest; any other is the run's error.
    /// </summary>
    private static async Task<(string? Error, IReadOnlyList<string> Notes)> SplatsAsync(StageContext context, BoardSessions sessions,
        BoardTarget board, GuestTestRequest request, IReadOnlyList<string>? before, GuestLoads loads, TimeSpan timeout, TimeSpan reach,
        CancellationToken cancellationToken)
    {
        if (before is null)
            return (null, [$"{board.User} on {board.Name} may not read the kernel log (dmesg): kernel splats during loading were not checked"]);
        IReadOnlyList<string>? after;
        try
        {
            after = await KernelLogAsync(sessions.Live!, timeout, cancellationToken);
        }
        catch (HarnessException)
        {
            var again = await sessions.TryReachAsync(reach, cancellationToken);
            after = again is null ? null : await KernelLogAsync(again, timeout, cancellationToken);
        }
        if (after is null)
            return (null, [$"the kernel log of {board.Name} could not be read after loading: kernel splats no program explains were not checked"]);
        var log = BoardKernelLog.Since(before, after);
        await File.WriteAllLinesAsync(context.LogFile($"{request.Arch.Name}-{GuestTestStage.Name(request.Role)}-board-dmesg"), log, cancellationToken);
        var (results, faults) = (loads.AllResults, loads.AllFaults);
        return BoardKernelLog.Splats(log, request.Overlay, request.Arch.Name, request.Role, board.Name,
            line => FaultJudge.Attributed(line, results, faults));
    }
}
