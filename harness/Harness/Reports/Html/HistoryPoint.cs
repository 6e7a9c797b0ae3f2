using Harness.Verdicts;

namespace Harness.Reports.Html;

/// <summary>
/// One earlier run of one cell, reduced to what the trend charts draw: outcome counts on the patched kernels
/// (the ones held to the expectations, as the exit code counts them) and seconds per stage summed over the
/// run's arches and kernels.
/// </summary>
public sealed record HistoryPoint
{
    public required string Cell { get; init; }
    public required string RunId { get; init; }
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>FinishedAt - StartedAt of the run.</summary>
    public double WallSeconds { get; init; }
    public int Pass { get; init; }
    public int KnownDeviation { get; init; }
    public int Fail { get; init; }
    public int Error { get; init; }
    public int Skip { get; init; }

    /// <summary>Programs whose result changed between attempts (retries).</summary>
    public int Flaky { get; init; }

    /// <summary>Loads the kernel refused before its verifier ran (it lacks what the program needs).</summary>
    public int Unsupported { get; init; }

    /// <summary>Stage name and total seconds over every (arch, kernel), in the order the stages first appear.</summary>
    public IReadOnlyList<StageTiming> Stages { get; init; } = [];

    /// <summary>The point a run of <paramref name="cell"/> contributes to the trend.</summary>
    public static HistoryPoint From(string cell, RunResult run)
    {
        var patched = run.AllPrograms.Where(p => p.Run.Kernel == KernelRole.Patched).Select(p => p.Program.Outcome.Status).ToArray();
        int N(OutcomeStatus s) => patched.Count(x => x == s);
        var stages = run.Runs.SelectMany(r => r.Stages)
            .GroupBy(s => s.Stage)
            .Select(g => new StageTiming(g.Key, g.Sum(s => s.Seconds), g.All(s => s.Cached)))
            .ToArray();
        return new HistoryPoint
        {
            Cell = cell, RunId = run.RunId, StartedAt = run.StartedAt,
            WallSeconds = (run.FinishedAt - run.StartedAt).TotalSeconds,
            Pass = N(OutcomeStatus.Pass), KnownDeviation = N(OutcomeStatus.KnownDeviation), Fail = N(OutcomeStatus.Fail),
            // An arch that stopped before any program ran still is an error in the trend.
            Error = N(OutcomeStatus.Error) + run.Runs.Count(r => r.Error is not null && r.Programs.Count == 0),
            Skip = N(OutcomeStatus.Skip),
            Flaky = N(OutcomeStatus.Flaky),
            Unsupported = N(OutcomeStatus.Unsupported),
            Stages = stages,
        };
    }

    /// <summary>Oldest first: by start time, then run id (run ids of the same second sort by their suffix).</summary>
    public static IReadOnlyList<HistoryPoint> Chronological(IEnumerable<HistoryPoint> points) =>
        points.OrderBy(p => p.StartedAt).ThenBy(p => p.RunId, StringComparer.Ordinal).ToArray();
}
