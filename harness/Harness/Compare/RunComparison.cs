using Harness.Verdicts;

namespace Harness.Compare;

/// <summary>Which kind of change a <see cref="ProgramChange"/> is.</summary>
public enum ChangeCategory
{
    /// <summary>Fails in B, did not fail in A (or was not there).</summary>
    NewFailure,

    /// <summary>Failed or errored in A, passes (or deviates as known) in B.</summary>
    Fixed,

    /// <summary>An error in B (no verdict: loader, boot, infrastructure), not in A.</summary>
    NewError,

    /// <summary>The verifier's verdict changed (accept ↔ reject).</summary>
    VerdictFlip,

    /// <summary>In A, absent from B.</summary>
    Missing,
}

/// <summary>One program of one (arch, kernel) whose outcome or verdict differs between run A and run B.</summary>
public sealed record ProgramChange
{
    public required ChangeCategory Category { get; init; }

    /// <summary>"x86_64 patched", the run it belongs to.</summary>
    public required string Run { get; init; }
    public required string Program { get; init; }
    public OutcomeStatus? StatusA { get; init; }
    public OutcomeStatus? StatusB { get; init; }
    public LoadVerdict? VerdictA { get; init; }
    public LoadVerdict? VerdictB { get; init; }

    /// <summary>B's reason for its status (why it fails or errors), empty for a pass.</summary>
    public string Reason { get; init; } = "";

    /// <summary>True when B is worse than A: a new failure, a new error, or a flip away from the expectation.</summary>
    public required bool Regression { get; init; }
}

/// <summary>How long one stage took in A and in B, for one (arch, kernel); only stages neither run took from the cache.</summary>
public sealed record StageTimeDelta(string Run, string Stage, double SecondsA, double SecondsB, bool Regression)
{
    public double Delta => SecondsB - SecondsA;
}

/// <summary>The verifier's cost of one program in A and B (as veristat -C shows it), flagged when it grew a lot.</summary>
public sealed record CostDelta(string Run, string Program, long InsnsA, long InsnsB, long PeakStatesA, long PeakStatesB, bool LargeGrowth)
{
    public long InsnsDelta => InsnsB - InsnsA;
    public long PeakStatesDelta => PeakStatesB - PeakStatesA;

    /// <summary>Relative change of insns processed in percent; null when A processed none.</summary>
    public double? InsnsPercent => InsnsA == 0 ? null : 100.0 * InsnsDelta / InsnsA;

    /// <summary>Relative change of peak states in percent; null when A had none.</summary>
    public double? PeakStatesPercent => PeakStatesA == 0 ? null : 100.0 * PeakStatesDelta / PeakStatesA;
}

/// <summary>Everything that differs between two runs; <see cref="HasRegressions"/> decides the exit code.</summary>
public sealed record RunComparison
{
    public required string RunA { get; init; }
    public required string RunB { get; init; }
    public IReadOnlyList<ProgramChange> Changes { get; init; } = [];
    public IReadOnlyList<StageTimeDelta> StageTimes { get; init; } = [];
    public IReadOnlyList<CostDelta> Costs { get; init; } = [];

    /// <summary>
    /// Arch/kernel runs one side has and the other lacks ("arm64 patched: only in A"): what was not compared at all.
    /// A run missing from B is a regression (a vanished arch must not pass as "no change").
    /// </summary>
    public IReadOnlyList<string> MissingRuns { get; init; } = [];

    public IEnumerable<ProgramChange> Of(ChangeCategory category) => Changes.Where(c => c.Category == category);

    /// <summary>New failures, new errors, or verdict flips away from the expectation. Slower stages and costlier programs are reported, not failed on.</summary>
    public bool HasRegressions => Changes.Any(c => c.Regression) || MissingRuns.Any(m => m.EndsWith(OnlyInA, StringComparison.Ordinal));

    /// <summary>How <see cref="MissingRuns"/> says a run is only in A (missing from B).</summary>
    public const string OnlyInA = ": only in A";
}
