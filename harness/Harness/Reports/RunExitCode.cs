using Harness.Errors;
using Harness.Verdicts;

namespace Harness.Reports;

/// <summary>
/// The exit code of `harness run`, from the results:
/// 0 (<see cref="ExitCodes.Success"/>) every program passed, deviated as recorded, or was skipped;
/// 1 (<see cref="ExitCodes.Mismatch"/>) at least one Fail (verdict/message mismatch, stale or changed deviation)
///   on a patched kernel. Baseline kernels are not held to the expectations (they state the patched
///   semantics); their verdicts feed the baseline diff and are shown, but do not fail the run;
/// 2 (<see cref="ExitCodes.InfrastructureError"/>) at least one Error (build, boot, SSH, loader, splat, program
///   without expectations) or an arch that stopped with an error. Errors win over failures: the run is
///   incomplete, so its mismatches are not the whole story.
/// 130 (<see cref="ExitCodes.Interrupted"/>) the run was aborted by Ctrl-C or SIGTERM, whatever had finished;
/// (3, bad input, is raised as BadInputException before any result exists.)
/// </summary>
public static class RunExitCode
{
    public static int For(RunResult run)
    {
        if (run.Aborted) return ExitCodes.Interrupted;
        var statuses = run.AllPrograms.Select(p => p.Program.Outcome.Status).ToArray();
        if (run.Runs.Any(r => r.Error is not null) || statuses.Contains(OutcomeStatus.Error)) return ExitCodes.InfrastructureError;
        if (run.AllPrograms.Any(p => p.Run.Kernel == KernelRole.Patched && p.Program.Outcome.Status == OutcomeStatus.Fail)) return ExitCodes.Mismatch;
        return ExitCodes.Success;
    }
}
