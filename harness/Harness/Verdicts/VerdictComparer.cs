namespace Harness.Verdicts;

/// <summary>
/// Judges one program: expectation (from its tags) + the loader's result + the overlay entry that
/// applies → <see cref="ProgramOutcome"/>. Pure. Messages must appear in the log in order, as the
/// kernel's test_loader requires; a known deviation that no longer deviates fails, so the overlay stays honest.
/// </summary>
public static class VerdictComparer
{
    /// <param name="expectation">The program's tags.</param>
    /// <param name="result">The loader's line for it; null when the loader printed none.</param>
    /// <param name="overlay">The entry of expectations.yaml for this program, arch and kernel (<see cref="ExpectationOverlay.Find(ProgramExpectation, string, KernelRole)"/>).</param>
    /// <param name="arch">The arch name (x86_64, arm64), for the program's test_arch tags.</param>
    /// <param name="infrastructureError">Set by the caller when boot/SSH/loader crash/kernel splat spoiled the run.</param>
    public static ProgramOutcome Compare(
        ProgramExpectation expectation, LoadResult? result, OverlayEntry? overlay, string arch, string? infrastructureError = null)
    {
        var @override = overlay?.Action as ExpectationOverride;
        var expected = @override?.Verdict ?? expectation.EffectiveVerdict;
        var messages = @override?.Messages ?? expectation.Messages;
        var outcome = new ProgramOutcome
        {
            Status = OutcomeStatus.Error, Expected = expected, Actual = result?.Verdict, ExpectedMessages = messages,
            OverlayLocation = overlay?.Location,
        };
        var tail = result is null ? [] : VerifierLog.Tail(result.Log);

        if (expectation.Problems.Count > 0)
            return outcome with { Reason = "bad expectation tags: " + string.Join("; ", expectation.Problems) };
        if (!expectation.RunsOn(arch))
            return outcome with { Status = OutcomeStatus.Skip, Reason = $"test_arch limits it to {string.Join(", ", expectation.Arches)}" };
        if (overlay?.Action is SkipProgram skip)
            return outcome with { Status = OutcomeStatus.Skip, Reason = skip.Reason };
        if (!expectation.HasExpectations && @override is null)
            return outcome with { Reason = "no expectations: the program has no __success/__failure/__msg tags (comment:test_* BTF decl tags). Tag it, or skip it in expectations.yaml with a reason." };
        if (expectation.Auxiliary)
            return outcome with { Status = OutcomeStatus.Skip, Reason = "auxiliary program (test_auxiliary): a helper of other tests, not a test" };
        // Static reasons (tags, arch, overlay) above hold without a kernel; from here on a broken run wins.
        if (infrastructureError is not null)
            return outcome with { Reason = infrastructureError, RelevantLogLines = tail };
        if (result is null)
            return outcome with { Reason = "the loader printed no result for this program" };
        if (expectation.Unprivileged && result.UnprivDisabled)
            return outcome with { Status = OutcomeStatus.Skip, Reason = "kernel.unprivileged_bpf_disabled is set in this kernel: test_loader skips the unprivileged test" };
        // Refused before the verifier ran (no such program type, map type or kfunc here): no verdict to judge.
        if (UnsupportedLoad.Reason(result) is { } unsupported)
            return outcome with { Status = OutcomeStatus.Unsupported, Reason = unsupported };
        if (result.Verdict == LoadVerdict.Error)
            return outcome with { Reason = $"loader error: {(result.Error.Length > 0 ? result.Error : "(no message)")} (errno {result.Errno})", RelevantLogLines = tail };

        var judged = TestRunChecks.Apply(Judge(expected, messages, expectation.NotMessages, result), expectation, result, arch);
        if (overlay?.Action is KnownDeviation deviation)
            return JudgeDeviation(outcome, judged, deviation, overlay.Location, result);
        return judged with { OverlayLocation = outcome.OverlayLocation, ExpectedMessages = messages };
    }

    private static ProgramOutcome Judge(ExpectedVerdict expected, IReadOnlyList<string> messages, IReadOnlyList<string> notMessages, LoadResult result)
    {
        var log = result.Log;
        var verdictOk = (expected == ExpectedVerdict.Failure) == (result.Verdict == LoadVerdict.Reject);
        var matches = VerifierLog.MatchInOrder(log, messages);
        var missing = matches.Where(m => !m.Found).Select(m => m.OutOfOrder
            ? $"'{m.Pattern}' is in the log (line {m.Line}) but out of order: not after the previous expected message"
            : $"'{m.Pattern}' is not in the log").ToArray();
        var unexpected = notMessages.Where(n => VerifierLog.Contains(log, n)).ToArray();

        var reasons = new List<string>();
        if (!verdictOk) reasons.Add($"expected {Word(expected)}, got {Describe(result)}");
        if (missing.Length > 0) reasons.Add(missing.Length == 1 ? "expected message missing" : $"{missing.Length} expected messages missing");
        if (unexpected.Length > 0) reasons.Add($"unwanted message in the log: '{unexpected[0]}'");

        IReadOnlyList<LogLine> relevant = [];
        if (!verdictOk) relevant = VerifierLog.Tail(log);
        else if (missing.Length > 0)
        {
            var firstMiss = matches.ToList().FindIndex(m => !m.Found);
            var previous = matches.Take(firstMiss).LastOrDefault(m => m.Found);
            var miss = matches[firstMiss];
            // An out-of-order message is shown together with the match it should have followed.
            var before = miss.OutOfOrder && previous is not null && miss.Line < previous.Line ? previous.Line - miss.Line + 2 : 2;
            relevant = previous is not null ? VerifierLog.Around(log, previous.Line, before, 10)
                : miss.OutOfOrder ? VerifierLog.Around(log, miss.Line, 2, 10) : VerifierLog.Tail(log);
        }
        else if (unexpected.Length > 0 && VerifierLog.Find(log, unexpected[0], 0) is { } hit)
            relevant = VerifierLog.Around(log, VerifierLog.LineOf(log, hit.Index));

        return new ProgramOutcome
        {
            Status = reasons.Count == 0 ? OutcomeStatus.Pass : OutcomeStatus.Fail,
            Expected = expected,
            Actual = result.Verdict,
            Reason = string.Join("; ", reasons),
            MissingMessages = missing,
            UnexpectedMessages = unexpected,
            RelevantLogLines = relevant,
        };
    }

    private static ProgramOutcome JudgeDeviation(ProgramOutcome outcome, ProgramOutcome judged, KnownDeviation deviation, string location, LoadResult result)
    {
        if (judged.Status == OutcomeStatus.Pass)
            return judged with
            {
                Status = OutcomeStatus.Fail, OverlayLocation = location, ExpectedMessages = outcome.ExpectedMessages,
                Reason = $"known deviation no longer deviates (the kernel now gives the expected {Word(judged.Expected)}): remove it from {location}",
                RelevantLogLines = VerifierLog.Tail(result.Log, 6),
            };
        var deviates = result.Verdict == deviation.Actual && (deviation.Message is null || VerifierLog.Contains(result.Log, deviation.Message));
        if (deviates)
            return judged with
            {
                Status = OutcomeStatus.KnownDeviation, OverlayLocation = location, ExpectedMessages = outcome.ExpectedMessages,
                Reason = deviation.Reason, RelevantLogLines = VerifierLog.Tail(result.Log, 6),
            };
        var said = deviation.Actual switch { LoadVerdict.Accept => "accept", LoadVerdict.Oops => "a kernel oops", _ => "reject" };
        if (deviation.Message is not null) said += $" with '{deviation.Message}'";
        return judged with
        {
            Status = OutcomeStatus.Fail, OverlayLocation = location, ExpectedMessages = outcome.ExpectedMessages,
            Reason = $"deviates differently from the known deviation at {location} (which says {said}): {judged.Reason}",
            RelevantLogLines = judged.RelevantLogLines.Count > 0 ? judged.RelevantLogLines : VerifierLog.Tail(result.Log),
        };
    }

    /// <summary>"accept" / "reject (errno 13): the verifier's message".</summary>
    public static string Describe(LoadResult result) => result.Verdict switch
    {
        LoadVerdict.Accept => "accept",
        LoadVerdict.Reject => $"reject (errno {result.Errno})" + (result.ErrorMessage is { } m ? $": {m}" : ""),
        LoadVerdict.Oops => "oops",
        _ => $"loader error (errno {result.Errno}): {result.Error}",
    };

    /// <summary>"accept" for Success/Unspecified, "reject" for Failure.</summary>
    public static string Word(ExpectedVerdict verdict) => verdict == ExpectedVerdict.Failure ? "reject" : "accept";
}
