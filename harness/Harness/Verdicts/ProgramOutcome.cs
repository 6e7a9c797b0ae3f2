using System.Text.Json.Serialization;

namespace Harness.Verdicts;

/// <summary>How one program fared against its expectation (KCIDB-like: FAIL is the kernel, ERROR is us).</summary>
public enum OutcomeStatus
{
    /// <summary>Verdict and messages as expected.</summary>
    Pass,

    /// <summary>Verdict or message mismatch, or a known deviation that no longer (or differently) deviates.</summary>
    Fail,

    /// <summary>Deviates from the correct semantics exactly as expectations.yaml says, with its reason.</summary>
    KnownDeviation,

    /// <summary>Not judged here (overlay skip, test_arch, auxiliary program), with the reason.</summary>
    Skip,

    /// <summary>No verdict could be had: infrastructure, loader error, or no expectations to judge by.</summary>
    Error,

    /// <summary>Not as expected, and loaded again its result changed between attempts: listed, does not fail the run.</summary>
    Flaky,

    /// <summary>
    /// The kernel refused the load before its verifier ran (no such program type, map type, helper or kfunc in this
    /// kernel): no verdict to judge. Counted apart; does not fail the run (exit 0), like a skip, but says why.
    /// </summary>
    Unsupported,
}

/// <summary>
/// The judgement of one program on one arch and kernel: status, what was expected and what happened,
/// why, and the verifier log lines a reviewer needs to see (around the first mismatch).
/// </summary>
public sealed record ProgramOutcome
{
    public required OutcomeStatus Status { get; init; }

    /// <summary>The verdict judged against (after any overlay override).</summary>
    public ExpectedVerdict Expected { get; init; }

    /// <summary>The loader's verdict, null when there was none.</summary>
    public LoadVerdict? Actual { get; init; }

    /// <summary>One sentence: why this status. Empty for a plain pass.</summary>
    public string Reason { get; init; } = "";

    /// <summary>The messages judged against, in order.</summary>
    public IReadOnlyList<string> ExpectedMessages { get; init; } = [];

    /// <summary>Expected messages not found in order, each with what was wrong.</summary>
    public IReadOnlyList<string> MissingMessages { get; init; } = [];

    /// <summary>Messages that must not appear (__not_msg) but did.</summary>
    public IReadOnlyList<string> UnexpectedMessages { get; init; } = [];

    /// <summary>The log lines around the first mismatch (or the log's tail).</summary>
    public IReadOnlyList<LogLine> RelevantLogLines { get; init; } = [];

    /// <summary>"file:line:column" of the overlay entry that applied, if any.</summary>
    public string? OverlayLocation { get; init; }

    /// <summary>When the program was loaded again (retries): each attempt's result in order, e.g. "reject (errno 13): R1 !read_ok [fail]".</summary>
    public IReadOnlyList<string> Attempts { get; init; } = [];

    /// <summary>True for statuses that count as "as expected" for the exit code.</summary>
    public bool AsExpected => Status is OutcomeStatus.Pass or OutcomeStatus.KnownDeviation or OutcomeStatus.Skip or OutcomeStatus.Unsupported;
}

/// <summary>One program on one arch and kernel: what the tags said, what happened, and the judgement.</summary>
public sealed record ProgramResult(ProgramExpectation Expectation, ProgramOutcome Outcome, LoadResult? Load)
{
    [JsonIgnore]
    public string Key => Expectation.Key;
}
