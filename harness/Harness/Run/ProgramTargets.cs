using Harness.Boards;
using Harness.Pipeline;
using Harness.Reports;

namespace Harness.Run;

/// <summary>
/// Where one kernel's programs run: on the board the run config names for that (arch, kernel) (target kind ssh),
/// else in a QEMU guest booted for it. Everything before (kernels, loader, objects) and after (judging,
/// reports) is the same for both.
/// </summary>
public static class ProgramTargets
{
    public static Task<ArchRun> RunAsync(StageContext context, GuestTestRequest request, CancellationToken cancellationToken) =>
        Board(context, request) is { } board
            ? BoardTestStage.RunAsync(context, board, request, cancellationToken)
            : GuestTestStage.RunAsync(context, request, cancellationToken);

    /// <summary>The board that runs this arch and kernel, or null for a QEMU guest.</summary>
    public static BoardTarget? Board(StageContext context, GuestTestRequest request) =>
        context.Config.Boards.FirstOrDefault(b => b.Arch.Name == request.Arch.Name && b.Kernel == request.Role);
}
