using Harness.Verdicts;

namespace Harness.Bisect;

/// <summary>
/// One prefix of the series that was built and tested: the patch it adds to the prefix before it (the name a
/// bisect reports), its patches in apply order, and each program's verdict (null: no result).
/// </summary>
public sealed record PrefixVerdicts(string Step, IReadOnlyList<string> Patches, IReadOnlyDictionary<string, LoadVerdict?> Verdicts);

/// <summary>How a program's result differs between the first prefix and the full series.</summary>
public enum ChangeKind
{
    /// <summary>A verifier verdict on both ends, and they differ (reject → accept or accept → reject).</summary>
    VerdictFlip,

    /// <summary>The program did not load on the first prefix (missing kfunc, relocation): not a verdict, so not a flip.</summary>
    StartsLoading,

    /// <summary>The program had a verdict on the first prefix and the loader could not load it with the full series.</summary>
    StopsLoading,

    /// <summary>The program had a verdict on the first prefix and its load oopses the kernel with the full series.</summary>
    StartsOopsing,
}

/// <summary>One program whose result differs between the first prefix and the full series, and the patch after which it took its final value.</summary>
public sealed record VerdictAttribution
{
    public required string Program { get; init; }
    public required ChangeKind Kind { get; init; }

    /// <summary>The verdict on every prefix, in prefix order (null: no result).</summary>
    public required IReadOnlyList<LoadVerdict?> PerPrefix { get; init; }
    public LoadVerdict? First => PerPrefix[0];
    public LoadVerdict? Final => PerPrefix[^1];

    /// <summary>The patch after which the verdict equals the full series' and stays so.</summary>
    public required string ChangedAfter { get; init; }

    /// <summary>Why the program had no verdict on the first prefix (the loader's error, e.g. a kfunc the kernel lacks), or null.</summary>
    public string? FirstError { get; init; }

    /// <summary>"reject → accept", with "error" for a program that did not load.</summary>
    public string Flip => $"{Word(First)} → {Word(Final)}";

    public static string Word(LoadVerdict? verdict) => verdict switch
    {
        null => "(none)",
        LoadVerdict.Accept => "accept",
        LoadVerdict.Reject => "reject",
        LoadVerdict.Oops => "oops",
        _ => "error",
    };
}

/// <summary>
/// The pure part of a bisect: given every prefix's verdicts, name for each program whose result differs
/// between the first prefix and the full series the patch after which it changed (the first prefix from
/// which the verdict equals the full series' and stays). A load error is never a verdict: a program that
/// only starts loading is reported as such, not as a flip.
/// </summary>
public static class PatchAttribution
{
    public static IReadOnlyList<VerdictAttribution> Attribute(IReadOnlyList<PrefixVerdicts> prefixes)
    {
        if (prefixes.Count < 2) return [];
        var programs = prefixes.SelectMany(p => p.Verdicts.Keys).Distinct().Order(StringComparer.Ordinal);
        var attributions = new List<VerdictAttribution>();
        foreach (var program in programs)
        {
            var verdicts = prefixes.Select(p => p.Verdicts.GetValueOrDefault(program)).ToArray();
            var final = verdicts[^1];
            // No result on either end (the overlay kept it out of that kernel, say): nothing to compare, see NotCompared.
            if (verdicts[0] is null || final is null || verdicts[0] == final) continue;
            var settled = verdicts.Length - 1;
            while (settled > 0 && verdicts[settled - 1] == final) settled--;
            attributions.Add(new VerdictAttribution
            {
                Program = program,
                Kind = Kind(verdicts[0], final),
                PerPrefix = verdicts,
                ChangedAfter = prefixes[settled].Step,
            });
        }
        return attributions;
    }

    /// <summary>Programs with no result on the first prefix or on the full series (never loaded there), which no attribution can cover.</summary>
    public static IReadOnlyList<string> NotCompared(IReadOnlyList<PrefixVerdicts> prefixes) =>
        prefixes.Count < 2 ? []
        : prefixes.SelectMany(p => p.Verdicts.Keys).Distinct()
            .Where(k => prefixes[0].Verdicts.GetValueOrDefault(k) is null || prefixes[^1].Verdicts.GetValueOrDefault(k) is null)
            .Order(StringComparer.Ordinal).ToArray();

    private static bool IsVerdict(LoadVerdict? v) => v is LoadVerdict.Accept or LoadVerdict.Reject;

    private static ChangeKind Kind(LoadVerdict? first, LoadVerdict? final) =>
        !IsVerdict(first) ? ChangeKind.StartsLoading
        : final == LoadVerdict.Oops ? ChangeKind.StartsOopsing
        : !IsVerdict(final) ? ChangeKind.StopsLoading
        : ChangeKind.VerdictFlip;
}
