using Harness.Reports;
using Harness.Verdicts;

namespace Harness.Compare;

/// <summary>
/// Compares two runs program by program (matched by arch, kernel and object:program), stage by stage and by
/// verification cost. Pure: it reads two <see cref="RunResult"/>s and returns a <see cref="RunComparison"/>.
/// </summary>
public static class RunComparer
{
    /// <summary>A stage is slower when it took this much longer (relative) ...</summary>
    public const double SlowerFactor = 1.5;

    /// <summary>... and at least this many seconds more (boot jitter of a second is not a regression).</summary>
    public const double SlowerSeconds = 5;

    /// <summary>A program's cost grew a lot when insns processed or peak states grew by this factor ...</summary>
    public const double CostGrowthFactor = 1.5;

    /// <summary>... and insns processed by at least this many (small programs double easily).</summary>
    public const long CostGrowthInsns = 1000;

    /// <summary>... or peak states by at least this many.</summary>
    public const long CostGrowthStates = 10;

    public static RunComparison Compare(RunResult a, RunResult b)
    {
        // Two runs with one kernel per arch each (two bisect prefixes, say, one judged as baseline and one as patched)
        // are matched by arch alone; otherwise baseline is compared with baseline and patched with patched.
        var byArch = OneKernelPerArch(a) && OneKernelPerArch(b);
        var programsA = Programs(a, byArch);
        var programsB = Programs(b, byArch);
        var changes = new List<ProgramChange>();
        foreach (var (key, pb) in programsB)
            if (Change(key.Run, key.Program, programsA.GetValueOrDefault(key), pb.Program, pb.Kernel) is { } change) changes.Add(change);
        foreach (var (key, pa) in programsA.Where(p => !programsB.ContainsKey(p.Key)))
            changes.Add(new ProgramChange
            {
                Category = ChangeCategory.Missing, Run = key.Run, Program = key.Program,
                StatusA = pa.Program.Outcome.Status, VerdictA = pa.Program.Load?.Verdict, Regression = false,
            });

        var costs = programsB
            .Where(p => programsA.ContainsKey(p.Key) && programsA[p.Key].Program.Load is not null && p.Value.Program.Load is not null)
            .Select(p => Cost(p.Key.Run, p.Key.Program, programsA[p.Key].Program.Load!, p.Value.Program.Load!))
            .Where(c => c.InsnsDelta != 0 || c.PeakStatesDelta != 0)
            .OrderByDescending(c => Math.Abs(c.InsnsDelta)).ThenBy(c => c.Program, StringComparer.Ordinal)
            .ToArray();

        return new RunComparison
        {
            RunA = a.RunId,
            RunB = b.RunId,
            Changes = changes.OrderBy(c => c.Category).ThenBy(c => c.Run, StringComparer.Ordinal).ThenBy(c => c.Program, StringComparer.Ordinal).ToArray(),
            StageTimes = StageTimes(a, b, byArch),
            Costs = costs,
            MissingRuns = MissingRuns(a, b, byArch),
        };
    }

    private static IReadOnlyList<string> MissingRuns(RunResult a, RunResult b, bool byArch)
    {
        string Name(ArchRun r) => byArch ? r.Arch : r.Name;
        var inA = a.Runs.Select(Name).ToHashSet();
        var inB = b.Runs.Select(Name).ToHashSet();
        return inA.Except(inB).Order(StringComparer.Ordinal).Select(n => n + RunComparison.OnlyInA)
            .Concat(inB.Except(inA).Order(StringComparer.Ordinal).Select(n => n + ": only in B")).ToArray();
    }

    /// <summary>
    /// What changed for one program. Only a patched kernel is held to the expectations (as the run's exit code does), so a
    /// baseline kernel's new failure or flip is reported but is no regression; a new error is one on any kernel.
    /// </summary>
    private static ProgramChange? Change(string run, string program, (ProgramResult Program, KernelRole Kernel)? pa, ProgramResult b, KernelRole kernel)
    {
        var a = pa?.Program;
        var heldToExpectations = kernel == KernelRole.Patched;
        var statusB = b.Outcome.Status;
        var statusA = a?.Outcome.Status;
        var verdictA = a?.Load?.Verdict;
        var verdictB = b.Load?.Verdict;
        ChangeCategory? category = null;
        var regression = false;
        if (statusB == OutcomeStatus.Fail && statusA != OutcomeStatus.Fail) (category, regression) = (ChangeCategory.NewFailure, heldToExpectations);
        else if (statusB == OutcomeStatus.Error && statusA != OutcomeStatus.Error) (category, regression) = (ChangeCategory.NewError, true);
        else if (statusA is OutcomeStatus.Fail or OutcomeStatus.Error && b.Outcome.AsExpected) category = ChangeCategory.Fixed;
        else if (IsVerdict(verdictA) && IsVerdict(verdictB) && verdictA != verdictB)
            // The same status with another verdict: a known deviation that flipped, say. Worse when B leaves what was expected.
            (category, regression) = (ChangeCategory.VerdictFlip, heldToExpectations && a!.Outcome.AsExpected && !b.Outcome.AsExpected);
        if (category is null) return null;
        return new ProgramChange
        {
            Category = category.Value, Run = run, Program = program, StatusA = statusA, StatusB = statusB,
            VerdictA = verdictA, VerdictB = verdictB, Reason = b.Outcome.Reason, Regression = regression,
        };
    }

    private static bool IsVerdict(LoadVerdict? v) => v is LoadVerdict.Accept or LoadVerdict.Reject;

    private static CostDelta Cost(string run, string program, LoadResult a, LoadResult b)
    {
        return new CostDelta(run, program, a.InsnsProcessed, b.InsnsProcessed, a.PeakStates, b.PeakStates,
            CostThresholds.Default.LargeGrowth(a.InsnsProcessed, b.InsnsProcessed, a.PeakStates, b.PeakStates));
    }

    private static IReadOnlyList<StageTimeDelta> StageTimes(RunResult a, RunResult b, bool byArch)
    {
        var stagesA = a.Runs.SelectMany(r => r.Stages.Where(s => !s.Cached).Select(s => (Key: (Name: byArch ? r.Arch : r.Name, s.Stage), s.Seconds)))
            .GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Sum(s => s.Seconds));
        return b.Runs.SelectMany(r => r.Stages.Where(s => !s.Cached).Select(s => (Key: (Name: byArch ? r.Arch : r.Name, s.Stage), s.Seconds)))
            .GroupBy(s => s.Key)
            .Where(g => stagesA.ContainsKey(g.Key))
            .Select(g =>
            {
                var (secondsA, secondsB) = (stagesA[g.Key], g.Sum(s => s.Seconds));
                return new StageTimeDelta(g.Key.Name, g.Key.Stage, secondsA, secondsB,
                    secondsB >= secondsA * SlowerFactor && secondsB - secondsA >= SlowerSeconds);
            }).ToArray();
    }

    private static bool OneKernelPerArch(RunResult run) => run.Runs.GroupBy(r => r.Arch).All(g => g.Count() == 1);

    private static Dictionary<(string Run, string Program), (ProgramResult Program, KernelRole Kernel)> Programs(RunResult run, bool byArch) =>
        run.AllPrograms.GroupBy(p => (byArch ? p.Run.Arch : p.Run.Name, p.Program.Key))
            .ToDictionary(g => g.Key, g => (g.Last().Program, g.Last().Run.Kernel));
}
