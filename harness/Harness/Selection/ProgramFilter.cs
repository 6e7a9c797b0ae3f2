using Harness.Verdicts;

namespace Harness.Selection;

/// <summary>
/// Which programs a run loads, as test_progs selects tests: with any allow pattern (-t, -a) only the rows one of them
/// names are in the run; a row a deny pattern (-b, -d, --denylist) names is not loaded and is reported as skip, with the
/// pattern and its reason (a deny wins over an allow, as in test_progs). Auxiliary programs go with their object: they
/// stay while a program of the object is in the run.
/// </summary>
public sealed class ProgramFilter(IReadOnlyList<NamePattern> allow, IReadOnlyList<NamePattern> deny)
{
    /// <summary>No patterns: every program.</summary>
    public static ProgramFilter All { get; } = new([], []);

    public IReadOnlyList<NamePattern> Allow { get; } = allow;
    public IReadOnlyList<NamePattern> Deny { get; } = deny;

    public bool IsEmpty => Allow.Count == 0 && Deny.Count == 0;

    private int _reported;

    /// <summary>True the first time only: a run applies the filter once per kernel, and says what it did once.</summary>
    public bool FirstReport() => Interlocked.Exchange(ref _reported, 1) == 0;

    /// <summary>The rows of <paramref name="rows"/> in the run (denied ones included, to be skipped), and the denied ones with the pattern that denied each.</summary>
    public FilteredPrograms Apply(IReadOnlyList<ProgramExpectation> rows)
    {
        var tests = rows.Where(r => !r.Auxiliary).ToArray();
        var selected = Allow.Count == 0 ? tests : tests.Where(r => Allow.Any(p => p.Matches(r))).ToArray();
        var objects = selected.Select(r => r.Object).ToHashSet();
        var kept = rows.Where(r => r.Auxiliary ? objects.Contains(r.Object) : selected.Contains(r)).ToArray();
        var denied = selected.Select(r => (Row: r, By: Deny.FirstOrDefault(p => p.Matches(r)))).Where(d => d.By is not null)
            .Select(d => new DeniedProgram(d.Row, d.By!)).ToArray();
        var unmatched = Allow.Concat(Deny).Where(p => !tests.Any(p.Matches)).ToArray();
        return new FilteredPrograms(kept, denied, unmatched);
    }
}

/// <summary>A row a deny pattern names.</summary>
public sealed record DeniedProgram(ProgramExpectation Row, NamePattern By)
{
    /// <summary>The skip reason: which pattern, and its denylist reason.</summary>
    public string Reason => $"denied by {By.Written}" + (By.Reason is { } why ? $": {why}" : "");
}

/// <summary>What a filter left: the rows to judge (the denied ones among them, as skips), and the patterns that named no program.</summary>
public sealed record FilteredPrograms(IReadOnlyList<ProgramExpectation> Rows, IReadOnlyList<DeniedProgram> Denied, IReadOnlyList<NamePattern> Unmatched)
{
    /// <summary>
    /// <paramref name="overlay"/> with a skip entry before all others for every denied row, so the loader never loads
    /// it and every report lists it as skip with the pattern's reason.
    /// </summary>
    public ExpectationOverlay Overlay(ExpectationOverlay overlay) =>
        Denied.Count == 0 ? overlay
            : new ExpectationOverlay(overlay.File,
                [.. Denied.Select(d => new OverlayEntry(d.Row.Key, d.By.Written, [], [], new SkipProgram(d.Reason))), .. overlay.Entries], overlay.Splats);
}
