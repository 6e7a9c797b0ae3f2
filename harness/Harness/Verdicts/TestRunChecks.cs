namespace Harness.Verdicts;

/// <summary>
/// What test_loader checks after a program loaded as expected: the __xlated disassembly of the rewritten program, the
/// __jited disassembly of the JIT image, and the __retval of one BPF_PROG_TEST_RUN. Only a pass is checked further
/// (test_loader stops at the first failed check); a __jited the harness cannot check makes the row a skip saying
/// "not checked", never a pass.
/// </summary>
public static class TestRunChecks
{
    /// <summary>Why __jited is not checked: the JIT image comes back as bytes, and no disassembler reads them yet.</summary>
    public const string JitedNotChecked =
        "not checked: __jited (the harness has no JIT disassembler yet); the verdict, messages, __xlated and __retval are as expected";

    public static ProgramOutcome Apply(ProgramOutcome judged, ProgramExpectation expectation, LoadResult result, string arch)
    {
        if (judged.Status != OutcomeStatus.Pass || result.Verdict != LoadVerdict.Accept) return judged;

        var xlated = expectation.XlatedToMatch;
        if (xlated.Count > 0)
        {
            if (string.IsNullOrEmpty(result.Xlated))
                return Failed(judged, "__xlated: the loader returned no translated program to match");
            if (VerifierLog.MatchDisasm(result.Xlated!, xlated) is { } miss)
                return Failed(judged, $"__xlated: {miss}", VerifierLog.Lines(result.Xlated!).Take(40).ToArray());
        }

        if (expectation.RetvalTag is { } tag && BtfExpectationReader.RetvalValue(tag) is { } expected)
        {
            if (result.Retval is not { } actual)
                return Failed(judged, result.RunErrno != 0
                    ? $"__retval({tag}): BPF_PROG_TEST_RUN failed (errno {result.RunErrno}{(result.RunError.Length > 0 ? ": " + result.RunError : "")})"
                    : $"__retval({tag}): the program was not run");
            // test_loader compares the u32 retval as an int, and POINTER_VALUE means "a pointer, whatever its value".
            if (expected != BtfExpectationReader.PointerValue && unchecked((int)actual) != unchecked((int)expected))
                return Failed(judged, $"__retval({tag}): BPF_PROG_TEST_RUN returned {unchecked((int)actual)}, expected {unchecked((int)expected)}");
        }

        if (expectation.JitedFor(arch).Count > 0)
            return judged with { Status = OutcomeStatus.Skip, Reason = JitedNotChecked };
        return judged;
    }

    private static ProgramOutcome Failed(ProgramOutcome judged, string reason, IReadOnlyList<LogLine>? lines = null) =>
        judged with { Status = OutcomeStatus.Fail, Reason = reason, RelevantLogLines = lines ?? judged.RelevantLogLines };
}
