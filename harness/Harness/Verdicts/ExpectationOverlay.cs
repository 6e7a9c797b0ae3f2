using System.Text.Json.Serialization;
using Harness.Errors;

namespace Harness.Verdicts;

/// <summary>Which kernel of a run a result came from.</summary>
public enum KernelRole
{
    /// <summary>The tree with the whole series applied.</summary>
    Patched,

    /// <summary>The reference kernel (by default the series without the patch under review).</summary>
    Baseline,
}

/// <summary>What an overlay entry does to a program's expectation.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(KnownDeviation), "known-deviation")]
[JsonDerivedType(typeof(SkipProgram), "skip")]
[JsonDerivedType(typeof(ExpectationOverride), "expect")]
public abstract record OverlayAction(string Reason);

/// <summary>
/// The kernel is known to give <see cref="Actual"/> where the tags state the correct semantics; with
/// <see cref="Message"/>, the deviation also requires that text in the log.
/// </summary>
public sealed record KnownDeviation(string Reason, LoadVerdict Actual, string? Message) : OverlayAction(Reason);

/// <summary>Do not judge the program here (it is still listed, with the reason).</summary>
public sealed record SkipProgram(string Reason) : OverlayAction(Reason);

/// <summary>
/// On these arches/kernels the correct verdict differs from the tags (say, an arch without a JIT feature).
/// <see cref="Messages"/> null keeps the tags' messages; empty drops them.
/// </summary>
public sealed record ExpectationOverride(string Reason, ExpectedVerdict Verdict, IReadOnlyList<string>? Messages) : OverlayAction(Reason);

/// <summary>
/// One entry of selftests/expectations.yaml for the program(s) named by <see cref="Key"/>
/// ("object.bpf.o:program" or "program"), limited to <see cref="Arches"/> and <see cref="Kernels"/>
/// (empty means all). <see cref="Location"/> is "file:line:column" of the entry.
/// </summary>
public sealed record OverlayEntry(
    string Key,
    string Location,
    IReadOnlyList<string> Arches,
    IReadOnlyList<KernelRole> Kernels,
    OverlayAction Action)
{
    /// <summary>Whether the key names this program (by "object:program" or by program name).</summary>
    public bool Names(string @object, string program) =>
        Key.Contains(':') ? Key == $"{@object}:{program}" : Key == program;

    public bool AppliesTo(string arch, KernelRole kernel) => OverlayFilter.Matches(Arches, Kernels, arch, kernel);
}

/// <summary>The arches/kernels filter of overlay entries and known splats: an empty list means all.</summary>
internal static class OverlayFilter
{
    public static bool Matches(IReadOnlyList<string> arches, IReadOnlyList<KernelRole> kernels, string arch, KernelRole kernel) =>
        (arches.Count == 0 || arches.Contains(arch)) && (kernels.Count == 0 || kernels.Contains(kernel));
}

/// <summary>
/// The overlay on the programs' own expectations: known deviations, skips and per-arch/kernel overrides,
/// read by <see cref="ExpectationOverlayReader"/>.
/// </summary>
public sealed class ExpectationOverlay(string? file, IReadOnlyList<OverlayEntry> entries, IReadOnlyList<KnownSplat>? splats = null)
{
    /// <summary>An overlay with no entries, for runs without an expectations file.</summary>
    public static ExpectationOverlay Empty { get; } = new(null, []);

    public string? File { get; } = file;
    public IReadOnlyList<OverlayEntry> Entries { get; } = entries;

    /// <summary>Kernel warnings that are known to happen on some kernels, with why (they are reported, not errors).</summary>
    public IReadOnlyList<KnownSplat> Splats { get; } = splats ?? [];

    /// <summary>The known splat whose text occurs in <paramref name="consoleText"/> (the splat and the lines before it), if any.</summary>
    public KnownSplat? FindSplat(string consoleText, string arch, KernelRole kernel) =>
        Splats.FirstOrDefault(s => s.AppliesTo(arch, kernel) && consoleText.Contains(s.Match, StringComparison.Ordinal));

    /// <summary>
    /// The entry that applies to a program on an arch and kernel: "object:program" keys win over bare
    /// program names; among those, the first in file order.
    /// </summary>
    public OverlayEntry? Find(string @object, string program, string arch, KernelRole kernel) => FindNamed(@object, program, arch, kernel);

    /// <summary>
    /// The entry that applies to one row: for an unprivileged row, an entry naming "program@unpriv" wins over one naming the
    /// program, which applies to both of its rows.
    /// </summary>
    public OverlayEntry? Find(ProgramExpectation row, string arch, KernelRole kernel) =>
        (row.Unprivileged ? FindNamed(row.Object, row.Program + ProgramExpectation.UnprivSuffix, arch, kernel) : null)
        ?? FindNamed(row.Object, row.Program, arch, kernel);

    private OverlayEntry? FindNamed(string @object, string program, string arch, KernelRole kernel)
    {
        var candidates = Entries.Where(e => e.Names(@object, program) && e.AppliesTo(arch, kernel)).ToArray();
        return candidates.FirstOrDefault(e => e.Key.Contains(':')) ?? candidates.FirstOrDefault();
    }

    /// <summary>
    /// This overlay followed by <paramref name="other"/> (a tree suite's): entries and splats of both, this one's first,
    /// so an entry of the series' overlay wins over a suite's for the same program.
    /// </summary>
    public ExpectationOverlay Then(ExpectationOverlay other) =>
        other.Entries.Count == 0 && other.Splats.Count == 0 ? this : new(File ?? other.File, [.. Entries, .. other.Entries], [.. Splats, .. other.Splats]);

    /// <summary>Throws <see cref="BadInputException"/> for an entry whose key names none of the programs.</summary>
    public void EnsureEveryKeyNamesAProgram(IEnumerable<ProgramExpectation> programs)
    {
        var list = programs.ToArray();
        foreach (var entry in Entries)
            if (!list.Any(p => entry.Names(p.Object, p.Program) || (p.Unprivileged && entry.Names(p.Object, p.Program + ProgramExpectation.UnprivSuffix))))
                throw new BadInputException(
                    $"{entry.Location}: '{entry.Key}' names no program of the selftest objects. " +
                    "Fix the name (\"object.bpf.o:program\" or \"program\") or remove the entry.");
    }
}

/// <summary>
/// A kernel splat (WARNING, BUG, oops) that a kernel is known to print while loading the selftests, e.g. the
/// unpatched verifier's WARN_ONCE for a kfunc callback it never verified. <see cref="Match"/> is text of the
/// splat or the lines just before it. A splat that matches no entry is an infrastructure error.
/// </summary>
public sealed record KnownSplat(string Match, string Reason, string Location, IReadOnlyList<string> Arches, IReadOnlyList<KernelRole> Kernels)
{
    public bool AppliesTo(string arch, KernelRole kernel) => OverlayFilter.Matches(Arches, Kernels, arch, kernel);
}
