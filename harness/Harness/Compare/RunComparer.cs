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
        var programsA = Programs(a);
        var programsB = Programs(b);
        var changes = new List<ProgramChange>();
        foreach (var (key, pb) in programsB)
            if (Change(key.Run, key.Program, programsA.GetValueOrDefault(key), pb) is { } change) changes.Add(change);
        foreach (var (key, pa) in programsA.Where(p => !programsB.ContainsKey(p.Key)))
            changes.Add(new ProgramChange
            {
                Category = ChangeCategory.Missing, Run = key.Run, Program = key.Program,
                StatusA = pa.Outcome.Status, VerdictA = pa.Load?.Verdict, Regression = false,
            });

        var costs = programsB
            .Where(p => programsA.ContainsKey(p.Key) && programsA[p.Key].Load is not null && p.Value.Load is not null)
            .Select(p => Cost(p.Key.Run, p.Key.Program, programsA[p.Key].Load!, p.Value.Load!))
            .Where(c => c.InsnsDelta != 0 || c.PeakStatesDelta != 0)
            .OrderByDescending(c => Math.Abs(c.InsnsDelta)).ThenBy(c => c.Program, StringComparer.Ordinal)
            .ToArray();

        return new RunComparison
        {
            RunA = a.RunId,
            RunB = b.RunId,
            Changes = changes.OrderBy(c => c.Category).ThenBy(c => c.Run, StringComparer.Ordinal).ThenBy(c => c.Program, StringComparer.Ordinal).ToArray(),
            StageTimes = StageTimes(a, b),
            Costs = costs,
        };
    }

    private static ProgramChange? Change(string run, string program, ProgramResult? a, ProgramResult b)
    {
        var statusB = b.Outcome.Status;
        var statusA = a?.Outcome.Status;
        var verdictA = a?.Load?.Verdict;
        var verdictB = b.Load?.Verdict;
        ChangeCategory? category = null;
        var regression = false;
        if (statusB == OutcomeStatus.Fail && statusA != OutcomeStatus.Fail) (category, regression) = (ChangeCategory.NewFailure, true);
        else if (statusB == OutcomeStatus.Error && statusA != OutcomeStatus.Error) (category, regression) = (ChangeCategory.NewError, true);
        else if (statusA is OutcomeStatus.Fail or OutcomeStatus.Error && b.Outcome.AsExpected) category = ChangeCategory.Fixed;
        else if (IsVerdict(verdictA) && IsVerdict(verdictB) && verdictA != verdictB)
            // The same status with another verdict: a known deviation that flipped, say. Worse when B leaves what was expected.
            (category, regression) = (ChangeCategory.VerdictFlip, a!.Outcome.AsExpected && !b.Outcome.AsExpected);
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
        var insnsGrew = b.InsnsProcessed >= a.InsnsProcessed * CostGrowthFactor && b.InsnsProcessed - a.InsnsProcessed >= CostGrowthInsns;
        var statesGrew = b.PeakStates >= a.PeakStates * CostGrowthFactor && b.PeakStates - a.PeakStates >= CostGrowthStates;
        return new CostDelta(run, program, a.InsnsProcessed, b.InsnsProcessed, a.PeakStates, b.PeakStates, insnsGrew || statesGrew);
    }

    private static IReadOnlyList<StageTimeDelta> StageTimes(RunResult a, RunResult b)
    {
        var stagesA = a.Runs.SelectMany(r => r.Stages.Where(s => !s.Cached).Select(s => (Key: (r.Name, s.Stage), s.Seconds)))
            .GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Sum(s => s.Seconds));
        return b.Runs.SelectMany(r => r.Stages.Where(s => !s.Cached).Select(s => (Key: (r.Name, s.Stage), s.Seconds)))
            .GroupBy(s => s.Key)
            .Where(g => stagesA.ContainsKey(g.Key))
            .Select(g =>
            {
                var (secondsA, secondsB) = (stagesA[g.Key], g.Sum(s => s.Seconds));
                return new StageTimeDelta(g.Key.Name, g.Key.Stage, secondsA, secondsB,
                    secondsB >= secondsA * SlowerFactor && secondsB - secondsA >= SlowerSeconds);
            }).ToArray();
    }

    private static Dictionary<(string Run, string Program), ProgramResult> Programs(RunResult run) =>
        run.AllPrograms.GroupBy(p => (p.Run.Name, p.Program.Key)).ToDictionary(g => g.Key, g => g.Last().Program);
}
