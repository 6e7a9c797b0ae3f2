using System.Text;
using Harness.Errors;

namespace Harness.Patches.Import;

public static partial class PatchImporter
{
    /// <summary>
    /// A hunk found nowhere: name it and show the closest place in the tree, line by line, so the user can
    /// see whether the patch is for another version or the copy is damaged.
    /// </summary>
    private static BadInputException Unplaceable(FileDiff diff, HunkBody body, Placement? closest, IReadOnlyList<string> tree, string source)
    {
        var text = new StringBuilder();
        text.Append($"{source}: {diff.TreePath}: hunk {body.Hunk.Number} ({body.Hunk.HeaderLine}) does not match the tree");
        if (closest is null)
        {
            text.Append($": the file has {tree.Count} lines, fewer than the hunk's old side.");
            return new BadInputException(text.ToString());
        }
        var removedDiffer = closest.Differing.Where(i => closest.Kinds[i] == LineKind.Removed).ToList();
        if (removedDiffer.Count > 0)
            text.Append($"; removed line '{body.Lines[removedDiffer[0]].MarkedContent.Trim()}' is not in the tree there");
        var oldSide = closest.Kinds.Count(k => k != LineKind.Added);
        text.Append($". Closest location: line {closest.Start + 1} ({closest.Differing.Count} of {oldSide} lines differ, " +
                    $"at most {HunkPlacer.MaxDifferingContext} context lines may):");
        for (var i = 0; i < body.Lines.Count; i++)
        {
            if (closest.Kinds[i] == LineKind.Added) continue;
            var treeIndex = closest.TreeIndex[i];
            var mark = closest.Differing.Contains(i) ? "!" : " ";
            text.Append($"\n  {mark} tree {treeIndex + 1,6}: {tree[treeIndex].TrimEnd()}");
            if (closest.Differing.Contains(i))
            {
                var patch = closest.Kinds[i] == LineKind.Removed ? "-" + body.Lines[i].MarkedContent.Trim() : body.Lines[i].ContextContent.Trim();
                text.Append($"\n  ! patch       : {patch}");
            }
        }
        text.Append("\nRebase the patch onto this tree, or pass the --tree it was written for.");
        return new BadInputException(text.ToString());
    }
}
