namespace Harness.Verdicts;

/// <summary>
/// One program whose result differs between the baseline and the patched kernel on one arch.
/// A null verdict means that kernel's run has no result for the program.
/// </summary>
public sealed record VerdictChange
{
    public required string Arch { get; init; }
    public required string Object { get; init; }
    public required string Program { get; init; }
    public LoadVerdict? Baseline { get; init; }
    public LoadVerdict? Patched { get; init; }
    public int? BaselineErrno { get; init; }
    public int? PatchedErrno { get; init; }

    /// <summary>The verifier's error message on the baseline kernel (see <see cref="VerifierLog.ErrorMessage"/>).</summary>
    public string? BaselineMessage { get; init; }
    public string? PatchedMessage { get; init; }

    /// <summary>What changed: any of "verdict", "errno", "message", "missing".</summary>
    public IReadOnlyList<string> Changed { get; init; } = [];

    /// <summary>"reject → accept", for tables.</summary>
    public string Flip => $"{Word(Baseline)} → {Word(Patched)}";

    private static string Word(LoadVerdict? v) => v switch
    {
        null => "(none)",
        LoadVerdict.Accept => "accept",
        LoadVerdict.Reject => "reject",
        LoadVerdict.Oops => "oops",
        _ => "error",
    };
}

/// <summary>
/// What the series changes: the same programs loaded on the baseline and the patched kernel, compared
/// by verdict, errno and the verifier's error message (what veristat -C does for verdicts).
/// </summary>
public static class BaselineDiff
{
    /// <summary>Every program of either run whose verdict, errno or error message differs, in patched-run order.</summary>
    public static IReadOnlyList<VerdictChange> Compare(string arch, IReadOnlyList<LoadResult> baseline, IReadOnlyList<LoadResult> patched)
    {
        var before = baseline.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Last());
        var after = patched.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Last());
        var keys = patched.Select(r => r.Key).Concat(baseline.Select(r => r.Key)).Distinct();
        var changes = new List<VerdictChange>();
        foreach (var key in keys)
        {
            before.TryGetValue(key, out var b);
            after.TryGetValue(key, out var a);
            var any = (a ?? b)!;
            var changed = new List<string>();
            if (a is null || b is null) changed.Add("missing");
            else
            {
                if (a.Verdict != b.Verdict) changed.Add("verdict");
                if (a.Errno != b.Errno) changed.Add("errno");
                if (a.ErrorMessage != b.ErrorMessage) changed.Add("message");
            }
            if (changed.Count == 0) continue;
            changes.Add(new VerdictChange
            {
                Arch = arch, Object = any.Object, Program = any.Program + (any.Unprivileged ? ProgramExpectation.UnprivSuffix : ""),
                Baseline = b?.Verdict, Patched = a?.Verdict, BaselineErrno = b?.Errno, PatchedErrno = a?.Errno,
                BaselineMessage = b?.ErrorMessage, PatchedMessage = a?.ErrorMessage, Changed = changed,
            });
        }
        return changes;
    }
}
