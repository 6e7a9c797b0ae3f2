using Harness.Verdicts;

namespace Harness.Run;

/// <summary>
/// Flakes: a program whose outcome is not as expected is loaded again (up to the run's retries); only a result that
/// stays the same counts. A program whose result changes between attempts becomes <see cref="OutcomeStatus.Flaky"/>,
/// with every attempt listed. Pure: the loads are the caller's.
/// </summary>
public static class FlakeRetry
{
    /// <summary>
    /// The programs worth loading again: failures and loader errors on a kernel held to the expectations. Faults
    /// (hang, dead guest, loader crash) and programs whose load logged a kernel splat are not retried: loading them
    /// again would break the guest again.
    /// </summary>
    public static IReadOnlyList<string> Candidates(IReadOnlyList<ProgramResult> programs, IReadOnlyCollection<string> faulted, bool heldToExpectations) =>
        heldToExpectations
            ? programs.Where(p => p.Outcome.Status is OutcomeStatus.Fail || p.Outcome.Status is OutcomeStatus.Error && p.Load is not null)
                .Where(p => !faulted.Contains(p.Key) && FaultJudge.Splat(p.Load?.Kmsg ?? "") is null)
                .Select(p => p.Key).ToArray()
            : [];

    /// <summary>What an attempt gave, as compared between attempts: verdict, errno, the verifier's (or loader's) error message, and the status.</summary>
    public static string Describe(ProgramResult p) =>
        $"{(p.Load is null ? "no result" : VerdictComparer.Describe(p.Load))} [{StatusName.Of(p.Outcome.Status)}]";

    /// <summary>
    /// The first attempt and the retries of one program → its final result: the first one when every attempt gave
    /// the same, else Flaky naming every attempt.
    /// </summary>
    public static ProgramResult Settle(ProgramResult first, IReadOnlyList<ProgramResult> retries)
    {
        if (retries.Count == 0) return first;
        var attempts = new[] { first }.Concat(retries).Select(Describe).ToArray();
        if (attempts.Distinct().Count() == 1)
            return first with { Outcome = first.Outcome with { Attempts = attempts, Reason = $"{first.Outcome.Reason} (the same in all {attempts.Length} attempts)" } };
        return first with
        {
            Outcome = first.Outcome with
            {
                Status = OutcomeStatus.Flaky,
                Attempts = attempts,
                Reason = $"flaky: the result changed between {attempts.Length} attempts: " + string.Join("; ", attempts.Select((a, i) => $"{i + 1}: {a}")),
            },
        };
    }

    /// <summary>Whether the attempts so far already differ (no need to load it again).</summary>
    public static bool Differs(ProgramResult first, IEnumerable<ProgramResult> retries) =>
        retries.Any(r => Describe(r) != Describe(first));
}
