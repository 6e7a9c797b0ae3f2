using Harness.Errors;

namespace Harness.Patches.Import;

/// <summary>One file of an imported patch: its hunks as they will be written, and its content before and after.</summary>
internal sealed record FileResult(
    FileDiff Diff,
    FileContent? OldContent,
    FileContent? NewContent,
    IReadOnlyList<OutputHunk> Hunks,
    IReadOnlyList<HunkReport> Reports)
{
    public string Path => Diff.TreePath;
    public int Added => Hunks.Sum(h => h.Lines.Count(l => l.StartsWith('+')));
    public int Removed => Hunks.Sum(h => h.Lines.Count(l => l.StartsWith('-')));
}

/// <summary>A hunk as emitted: recomputed numbers and marked lines ('\' lines included).</summary>
internal sealed record OutputHunk(int OldStart, int OldCount, int NewStart, int NewCount, string FunctionContext, IReadOnlyList<string> Lines)
{
    public string Header =>
        $"@@ -{Range(OldStart, OldCount)} +{Range(NewStart, NewCount)} @@" + (FunctionContext.Length > 0 ? " " + FunctionContext : "");

    private static string Range(int start, int count) => count == 1 ? $"{start}" : $"{start},{count}";
}

public static partial class PatchImporter
{
    private sealed record PlacedHunk(HunkBody Body, Placement Placement);

    private static FileResult ImportFile(FileDiff diff, TreeFiles files, string source)
    {
        var old = diff.IsNew ? new FileContent([], true) : files.Get(diff.TreePath);
        if (old is null)
            throw new BadInputException($"{source}: {diff.TreePath} is not in the tree. Check --tree, or that the patch is for this project.");
        var tree = old.Lines;
        var placer = new HunkPlacer(tree);
        var placed = new List<PlacedHunk>();
        var offset = 0;
        foreach (var hunk in diff.Hunks)
        {
            var body = HunkBody.Resolve(hunk);
            var expected = (hunk.OldCount == 0 ? hunk.OldStart : hunk.OldStart - 1) + offset;
            var placement = placer.Place(body, expected) ?? throw Unplaceable(diff, body, placer.Closest(body, expected), tree, source);
            offset = placement.Start - (hunk.OldCount == 0 ? hunk.OldStart : hunk.OldStart - 1);
            placed.Add(new PlacedHunk(body, placement));
        }
        placed.Sort((a, b) => a.Placement.Start.CompareTo(b.Placement.Start));
        for (var i = 1; i < placed.Count; i++)
        {
            var previous = placed[i - 1];
            var previousEnd = previous.Placement.Start + previous.Placement.Kinds.Count(k => k != LineKind.Added);
            if (placed[i].Placement.Start < previousEnd)
                throw new BadInputException($"{source}: {diff.TreePath}: hunks {previous.Body.Hunk.Number} and {placed[i].Body.Hunk.Number} " +
                                            $"both match around line {placed[i].Placement.Start + 1} of the tree. Give the tree the patch was made for.");
        }

        var hunks = new List<OutputHunk>();
        var reports = new List<HunkReport>();
        var newLines = new List<string>();
        var copied = 0;
        var delta = 0;
        foreach (var (body, placement) in placed)
        {
            var lines = EmitLines(body, placement, tree, old.EndsWithNewline && !diff.IsNew);
            var oldCount = placement.Kinds.Count(k => k != LineKind.Added);
            var newCount = placement.Kinds.Count(k => k != LineKind.Removed);
            var oldStart = oldCount == 0 ? placement.Start : placement.Start + 1;
            var newStart = newCount == 0 ? placement.Start + delta : placement.Start + delta + 1;
            if (diff.IsNew) oldStart = 0;
            var output = new OutputHunk(oldStart, oldCount, newStart, newCount, FunctionContext(tree, placement.Start), lines);
            hunks.Add(output);

            newLines.AddRange(tree.Skip(copied).Take(placement.Start - copied));
            newLines.AddRange(lines.Where(l => l.Length > 0 && l[0] is ' ' or '+').Select(l => l[1..]));
            copied = placement.Start + oldCount;
            delta += newCount - oldCount;

            var claimed = body.Hunk.OldCount == 0 ? body.Hunk.OldStart : body.Hunk.OldStart - 1;
            reports.Add(new HunkReport(diff.NewPath, body.Hunk.Number, body.Hunk.HeaderLine, output.Header, oldStart,
                placement.Start - claimed,
                placement.Differing.Select(i => new ContextDifference(placement.TreeIndex[i] + 1, tree[placement.TreeIndex[i]], body.Lines[i].ContextContent)).ToArray(),
                Enumerable.Range(0, body.Lines.Count)
                    .Where(i => body.Lines[i].Marker is '+' or '-' && placement.Kinds[i] == LineKind.Context)
                    .Select(i => body.Lines[i].Raw).ToArray(),
                body.Mangled && placement.Kinds.Contains(LineKind.Added)));
        }
        newLines.AddRange(tree.Skip(copied));
        reports.Sort((a, b) => a.Number.CompareTo(b.Number));
        var endsWithNewline = !placed.Any(p => p.Body.Lines.LastOrDefault() is { NoNewlineAfter: true } && p.Placement.Kinds[^1] != LineKind.Removed) &&
                              (old.EndsWithNewline || copied < tree.Count);
        var newContent = diff.IsDeleted ? null : new FileContent(newLines, endsWithNewline || diff.IsNew);
        return new FileResult(diff, diff.IsNew ? null : old, newContent, hunks, reports);
    }

    /// <summary>
    /// The hunk's lines as the output carries them: the tree's own text for context and removed lines, and
    /// added lines re-indented in kernel style when the copy lost their indentation.
    /// </summary>
    private static List<string> EmitLines(HunkBody body, Placement placement, IReadOnlyList<string> tree, bool treeEndsWithNewline)
    {
        var indenter = body.Mangled ? IndenterBefore(tree, placement.Start) : null;
        var lines = new List<string>();
        for (var i = 0; i < body.Lines.Count; i++)
        {
            var line = body.Lines[i];
            switch (placement.Kinds[i])
            {
                case LineKind.Context:
                    lines.Add(" " + tree[placement.TreeIndex[i]]);
                    indenter?.Feed(tree[placement.TreeIndex[i]]);
                    break;
                case LineKind.Removed:
                    lines.Add("-" + tree[placement.TreeIndex[i]]);
                    break;
                case LineKind.Added:
                    var text = indenter is null ? line.MarkedContent : indenter.Indent(line.MarkedContent);
                    indenter?.Feed(text);
                    lines.Add("+" + text);
                    if (line.NoNewlineAfter) lines.Add(@"\ No newline at end of file");
                    break;
            }
            if (placement.Kinds[i] != LineKind.Added && !treeEndsWithNewline && placement.TreeIndex[i] == tree.Count - 1)
                lines.Add(@"\ No newline at end of file");
        }
        return lines;
    }

    /// <summary>An indenter that has read the tree from the end of the previous top-level construct up to the hunk.</summary>
    private static KernelIndenter IndenterBefore(IReadOnlyList<string> tree, int start)
    {
        var from = start - 1;
        while (from >= 0 && !tree[from].StartsWith('}')) from--;
        var indenter = new KernelIndenter();
        for (var i = from + 1; i < start; i++) indenter.Feed(tree[i]);
        return indenter;
    }

    /// <summary>git's default hunk-header function context: the nearest line above starting with a letter, '_' or '$'.</summary>
    private static string FunctionContext(IReadOnlyList<string> tree, int start)
    {
        for (var i = Math.Min(start, tree.Count) - 1; i >= 0; i--)
        {
            var line = tree[i];
            if (line.Length > 0 && (char.IsLetter(line[0]) || line[0] is '_' or '$'))
                return (line.Length > 80 ? line[..80] : line).TrimEnd();
        }
        return "";
    }
}
