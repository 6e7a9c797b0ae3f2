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
///   without expectations) or an arch that stopped with an error, on a patched kernel. Errors win over failures:
///   the run is incomplete, so its mismatches are not the whole story;
/// 4 (<see cref="ExitCodes.BaselineError"/>) the patched kernels are as expected (or mismatched: then 1), but a
///   baseline kernel had an error: the series' own answer is in, the baseline comparison is not complete.
/// 130 (<see cref="ExitCodes.Interrupted"/>) the run was aborted by Ctrl-C or SIGTERM, whatever had finished;
/// (3, bad input, is raised as BadInputException before any result exists.)
/// </summary>
public static class RunExitCode
{
    public static int For(RunResult run)
    {
        if (run.Aborted) return ExitCodes.Interrupted;
        bool Broke(KernelRole kernel) =>
            run.Runs.Any(r => r.Kernel == kernel && r.Error is not null)
            || run.AllPrograms.Any(p => p.Run.Kernel == kernel && p.Program.Outcome.Status == OutcomeStatus.Error);
        if (Broke(KernelRole.Patched)) return ExitCodes.InfrastructureError;
        if (run.AllPrograms.Any(p => p.Run.Kernel == KernelRole.Patched && p.Program.Outcome.Status == OutcomeStatus.Fail)) return ExitCodes.Mismatch;
        if (Broke(KernelRole.Baseline)) return ExitCodes.BaselineError;
        return ExitCodes.Success;
    }
}
