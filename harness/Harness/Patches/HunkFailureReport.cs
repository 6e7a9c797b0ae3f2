using System.Text;

namespace Harness.Patches;

/// <summary>
/// Explains a hunk that does not apply: which patch, which file, which hunk, what it expected, and
/// where the tree has the closest lines (so the reviewer sees at once what moved or changed).
/// </summary>
public static class HunkFailureReport
{
    private const int MinimumShown = 8;
    private const int MaximumShown = 16;

    /// <param name="patchName">The patch file's name, as listed in the series.</param>
    /// <param name="patchText">The whole patch.</param>
    /// <param name="rejection">What git apply said failed.</param>
    /// <param name="treeFileText">The file's text in the tree the patch was applied to; null if the file does not exist.</param>
    public static string Describe(string patchName, string patchText, HunkRejection rejection, string? treeFileText)
    {
        var files = UnifiedDiff.Parse(patchText);
        var file = files.FirstOrDefault(f => f.OldPath == rejection.File || f.NewPath == rejection.File);
        var hunk = file?.Hunks.FirstOrDefault(h => h.OldStart == rejection.OldStart) ?? file?.Hunks.FirstOrDefault();
        var text = new StringBuilder();
        text.AppendLine($"patch {patchName} does not apply: {rejection.File}, hunk {hunk?.Header ?? $"at line {rejection.OldStart}"}");
        if (hunk is null) return text.AppendLine("(the hunk could not be found in the patch text)").ToString().TrimEnd();

        var expected = hunk.OldLines;
        text.AppendLine($"The hunk expects at line {hunk.OldStart}:");
        foreach (var line in expected.Take(MaximumShown)) text.AppendLine("      | " + line);
        if (expected.Count > MaximumShown) text.AppendLine($"      | ... ({expected.Count - MaximumShown} more)");

        if (treeFileText is null)
        {
            text.AppendLine($"The tree has no file {rejection.File}.");
        }
        else
        {
            var tree = treeFileText.Replace("\r\n", "\n").Split('\n');
            var (start, matches) = NearestLines(tree, expected, hunk.OldStart - 1);
            var shown = Math.Clamp(expected.Count, MinimumShown, MaximumShown);
            var from = Math.Max(0, Math.Min(start, tree.Length - shown));
            var to = Math.Min(tree.Length, from + shown);
            var scored = expected.Count(l => l.Trim().Length > 0);
            text.AppendLine($"Nearest lines in the tree ({rejection.File}:{from + 1}-{to}, {matches} of {scored} non-blank lines match; '!' marks a line that differs):");
            for (var i = from; i < to; i++)
            {
                var k = i - start;
                var differs = k >= 0 && k < expected.Count && expected[k].Trim() != tree[i].Trim();
                text.AppendLine($"{(differs ? "!" : " ")}{i + 1,5} | {tree[i]}");
            }
        }
        text.Append("Fix: rebase the patch onto this tree (or recover it with 'harness patch import'), then run again.");
        return text.ToString();
    }

    /// <summary>
    /// The start index in <paramref name="tree"/> where the most non-blank lines of <paramref name="expected"/>
    /// match (whitespace-insensitively); ties go to the position nearest <paramref name="hint"/>.
    /// </summary>
    public static (int Start, int Matches) NearestLines(IReadOnlyList<string> tree, IReadOnlyList<string> expected, int hint)
    {
        var wanted = expected.Select(l => l.Trim()).ToArray();
        var actual = tree.Select(l => l.Trim()).ToArray();
        int best = Math.Clamp(hint, 0, Math.Max(0, actual.Length - 1)), bestScore = -1;
        for (var start = 0; start < actual.Length; start++)
        {
            var score = 0;
            for (var k = 0; k < wanted.Length && start + k < actual.Length; k++)
                if (wanted[k].Length > 0 && wanted[k] == actual[start + k]) score++;
            if (score > bestScore || (score == bestScore && Math.Abs(start - hint) < Math.Abs(best - hint)))
                (best, bestScore) = (start, score);
        }
        return (best, Math.Max(bestScore, 0));
    }
}
