using Harness.Verdicts;
using Harness.Vm;

namespace Harness.Run;

/// <summary>
/// Puts guest faults on the programs they belong to: a program in flight when the guest died, hung or the loader
/// crashed is an Error naming the fault, with the console lines as evidence; a program during whose load the kernel
/// logged an oops, BUG, WARNING or KASAN report (the loader's kmsg field) is an Error carrying the splat, unless
/// the overlay knows the splat for this kernel: then it keeps its verdict and the run gets a note. Pure.
/// </summary>
public static class FaultJudge
{
    /// <summary>Judges <paramref name="expectations"/> on a batch's results, then puts the batch's faults and splats on the programs they belong to.</summary>
    public static (IReadOnlyList<ProgramResult> Programs, IReadOnlyList<string> Notes) JudgeBatch(
        string arch, KernelRole kernel, IReadOnlyList<ProgramExpectation> expectations, ExpectationOverlay overlay, LoadBatch batch)
    {
        var judged = RunJudge.Judge(arch, kernel, expectations, new LoaderOutput(batch.Results, batch.Problems), overlay);
        return Apply(judged, batch.Faults, overlay, arch, kernel);
    }

    /// <summary>The judged programs with faults and splats applied, and the notes for known splats.</summary>
    public static (IReadOnlyList<ProgramResult> Programs, IReadOnlyList<string> Notes) Apply(
        IReadOnlyList<ProgramResult> judged, IReadOnlyDictionary<string, ProgramFault> faults, ExpectationOverlay overlay, string arch, KernelRole kernel)
    {
        var notes = new List<string>();
        var programs = judged.Select(p =>
        {
            if (p.Outcome.Status == OutcomeStatus.Skip) return p;
            if (overlay.Find(p.Expectation, arch, kernel) is { Action: KnownDeviation { Actual: LoadVerdict.Oops } deviation } entry
                && OopsEvidence(p, faults) is { } oops)
                return p with
                {
                    Outcome = p.Outcome with
                    {
                        Status = OutcomeStatus.KnownDeviation, Actual = LoadVerdict.Oops, OverlayLocation = entry.Location,
                        Reason = $"{deviation.Reason} (kernel: {oops.First})", RelevantLogLines = Numbered(oops.Lines),
                    },
                };
            if (faults.TryGetValue(p.Key, out var fault))
                return p with { Outcome = p.Outcome with { Status = OutcomeStatus.Error, Reason = fault.Reason, RelevantLogLines = Numbered(fault.Evidence) } };
            if (p.Load is not { } load || Splat(load.Kmsg) is not { } splat) return p;
            if (overlay.FindSplat(load.Kmsg, arch, kernel) is { } known)
            {
                notes.Add($"known kernel splat \"{known.Match}\" while loading {p.Key}: {known.Reason} ({known.Location})");
                return p;
            }
            return p with
            {
                Outcome = p.Outcome with
                {
                    Status = OutcomeStatus.Error,
                    Reason = $"kernel splat while loading it: {splat} (the program's verdict was {VerdictComparer.Describe(load)})",
                    RelevantLogLines = Numbered(SplatLines(load.Kmsg)),
                },
            };
        }).ToArray();
        return (programs, notes.Distinct().ToArray());
    }

    /// <summary>The splat a program's own load produced (its kmsg), or the fault that took its guest: what makes it an oops.</summary>
    private static (string First, IReadOnlyList<string> Lines)? OopsEvidence(ProgramResult p, IReadOnlyDictionary<string, ProgramFault> faults)
    {
        if (p.Load is { } load && Splat(load.Kmsg) is { } splat) return (splat, SplatLines(load.Kmsg));
        if (faults.TryGetValue(p.Key, out var fault)) return (fault.Reason.Split('\n')[0], fault.Evidence);
        return null;
    }

    /// <summary>The first oops/BUG/WARNING/KASAN/panic line of kernel messages, or null.</summary>
    public static string? Splat(string kernelMessages) =>
        kernelMessages.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => ConsoleWatcher.IsKernelFailure(l));

    /// <summary>
    /// Whether a console failure line was pinned to a program: its text (after the printk timestamp) is in a
    /// program's kernel messages or in a fault's evidence. Lines no program explains stay errors of the whole run.
    /// </summary>
    public static bool Attributed(string consoleLine, IEnumerable<LoadResult> loads, IEnumerable<ProgramFault> faults)
    {
        var text = WithoutTimestamp(consoleLine);
        if (text.Length == 0) return false;
        return loads.Any(l => l.Kmsg.Length > 0 && l.Kmsg.Contains(text, StringComparison.Ordinal))
               || faults.Any(f => f.Reason.Contains(text, StringComparison.Ordinal) || f.Evidence.Any(e => e.Contains(text, StringComparison.Ordinal)));
    }

    private static string WithoutTimestamp(string line)
    {
        var t = line.Trim();
        var close = t.StartsWith('[') ? t.IndexOf(']') : -1;
        return (close >= 0 ? t[(close + 1)..] : t).Trim();
    }

    /// <summary>The splat from its first line on (the messages before it belong to the verifier's chatter), at most 40 lines.</summary>
    private static IReadOnlyList<string> SplatLines(string kernelMessages)
    {
        var lines = kernelMessages.TrimEnd('\n').Split('\n');
        var first = Array.FindIndex(lines, l => ConsoleWatcher.IsKernelFailure(l));
        return lines.Skip(Math.Max(0, first)).Take(40).ToArray();
    }

    private static IReadOnlyList<LogLine> Numbered(IReadOnlyList<string> lines) =>
        lines.Select((l, i) => new LogLine(i + 1, l)).ToArray();
}
