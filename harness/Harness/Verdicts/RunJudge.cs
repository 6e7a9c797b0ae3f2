namespace Harness.Verdicts;

/// <summary>Judges every program of one (arch, kernel) run: the glue between the loader's output and the reports.</summary>
public static class RunJudge
{
    /// <summary>
    /// One <see cref="ProgramResult"/> per expectation, in expectation order. <paramref name="infrastructureError"/>
    /// (boot failed, SSH lost, splat) makes every program an Error with that reason. A program the loader printed
    /// nothing for is an Error that quotes the loader's unreadable lines, if any.
    /// </summary>
    public static IReadOnlyList<ProgramResult> Judge(
        string arch, KernelRole kernel, IReadOnlyList<ProgramExpectation> expectations, LoaderOutput? output,
        ExpectationOverlay overlay, string? infrastructureError = null)
    {
        var noResult = output is { Problems.Count: > 0 }
            ? $"the loader printed no result for this program; its output had unreadable lines ({string.Join("; ", output.Problems.Take(3))})"
            : null;
        return expectations.Select(e =>
        {
            var load = output?.Results.LastOrDefault(r => r.Key == e.Key);
            var error = infrastructureError ?? (load is null ? noResult : null);
            var outcome = VerdictComparer.Compare(e, load, overlay.Find(e, arch, kernel), arch, error);
            return new ProgramResult(e, outcome, load);
        }).ToArray();
    }
}
