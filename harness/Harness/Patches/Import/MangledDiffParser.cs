using System.Text.RegularExpressions;
using Harness.Errors;

namespace Harness.Patches.Import;

/// <summary>One file section of the input diff, hunks still raw.</summary>
internal sealed record FileDiff(string OldPath, string NewPath, bool IsNew, bool IsDeleted, string? Mode, IReadOnlyList<RawHunk> Hunks)
{
    /// <summary>The path whose tree content the hunks are located in.</summary>
    public string TreePath => IsNew ? NewPath : OldPath;
}

/// <summary>
/// A hunk as written in the input: its header numbers and its body lines exactly as they came, markers and all.
/// In a mangled copy a body line may have lost the space marker of a context line; see <see cref="HunkBody"/>.
/// </summary>
internal sealed record RawHunk(int Number, string HeaderLine, int OldStart, int OldCount, int NewStart, int NewCount, IReadOnlyList<string> Lines);

/// <summary>
/// Cuts the diff part of a mail into file sections and hunks. It does not decide what each body line is:
/// where a mangled hunk ends and which '+'/'-' lines are context is settled later from the header counts.
/// </summary>
internal static partial class MangledDiffParser
{
    public static IReadOnlyList<FileDiff> Parse(IReadOnlyList<string> lines, string source)
    {
        var files = new List<FileDiff>();
        var i = 0;
        while (i < lines.Count)
        {
            if (!IsFileStart(lines, i)) { i++; continue; }
            string? oldPath = null, newPath = null, mode = null;
            bool isNew = false, isDeleted = false;
            if (DiffGitRegex().Match(lines[i]) is { Success: true } g)
            {
                oldPath = g.Groups[1].Value;
                newPath = g.Groups[2].Value;
                i++;
            }
            // Extended header lines, then ---/+++ (absent for a pure mode change or rename, which we refuse).
            while (i < lines.Count && !lines[i].StartsWith("--- ") && !HunkHeader(lines[i]) && !IsFileStart(lines, i))
            {
                var l = lines[i];
                if (l.StartsWith("new file mode ")) { isNew = true; mode = l["new file mode ".Length..].Trim(); }
                else if (l.StartsWith("deleted file mode ")) { isDeleted = true; mode = l["deleted file mode ".Length..].Trim(); }
                else if (l.StartsWith("index ") && l.Split(' ') is { Length: 3 } parts) mode = parts[2].Trim();
                else if (l.StartsWith("GIT binary patch") || l.StartsWith("Binary files "))
                    throw new BadInputException($"{source}: {newPath ?? oldPath}: binary diffs cannot be imported from a mail copy. Take the file from the tree the patch was made on.");
                else if (l.StartsWith("rename from ") || l.StartsWith("copy from "))
                    throw new BadInputException($"{source}: {newPath ?? oldPath}: renames and copies are not supported by the importer. Re-export the patch with 'git format-patch --no-renames'.");
                i++;
            }
            if (i < lines.Count && lines[i].StartsWith("--- "))
            {
                var o = StripPrefix(lines[i][4..]);
                i++;
                if (i < lines.Count && lines[i].StartsWith("+++ "))
                {
                    var n = StripPrefix(lines[i][4..]);
                    i++;
                    if (o == "/dev/null") isNew = true; else oldPath ??= o;
                    if (n == "/dev/null") isDeleted = true; else newPath ??= n;
                    if (o != "/dev/null" && oldPath != o) oldPath = o;
                    if (n != "/dev/null" && newPath != n) newPath = n;
                }
            }
            if (oldPath is null && newPath is null)
                throw new BadInputException($"{source}: a file section at '{lines[Math.Min(i, lines.Count - 1)]}' names no file. Each file needs 'diff --git a/X b/X' or '--- a/X' and '+++ b/X'.");
            oldPath ??= newPath!;
            newPath ??= oldPath;

            var hunks = new List<RawHunk>();
            while (i < lines.Count && !IsFileStart(lines, i))
            {
                var m = HunkRegex().Match(lines[i]);
                if (!m.Success) { i++; continue; }
                var header = lines[i++];
                var body = new List<string>();
                while (i < lines.Count && !HunkHeader(lines[i]) && !IsFileStart(lines, i))
                    body.Add(lines[i++]);
                hunks.Add(new RawHunk(hunks.Count + 1, header.TrimEnd(),
                    int.Parse(m.Groups[1].Value), m.Groups[2].Success ? int.Parse(m.Groups[2].Value) : 1,
                    int.Parse(m.Groups[3].Value), m.Groups[4].Success ? int.Parse(m.Groups[4].Value) : 1, body));
            }
            if (hunks.Count == 0)
                throw new BadInputException($"{source}: {newPath} has a file header but no hunk. Mode-only changes cannot be imported.");
            files.Add(new FileDiff(oldPath, newPath, isNew, isDeleted, mode, hunks));
        }
        if (files.Count == 0)
            throw new BadInputException($"{source}: hunk headers found but no file header ('diff --git a/X b/X' or '--- a/X' / '+++ b/X') above them.");
        return files;
    }

    private static bool HunkHeader(string line) => HunkRegex().IsMatch(line);

    /// <summary>"diff --git", or a "---"/"+++" pair directly followed by a hunk header (plain unified diff).</summary>
    private static bool IsFileStart(IReadOnlyList<string> lines, int i) =>
        lines[i].StartsWith("diff --git ") ||
        (lines[i].StartsWith("--- ") && i + 2 < lines.Count && lines[i + 1].StartsWith("+++ ") && HunkHeader(lines[i + 2]) &&
         (i == 0 || !lines[i - 1].StartsWith("index ")) && (i == 0 || !lines[i - 1].StartsWith("new file mode")) &&
         (i == 0 || !lines[i - 1].StartsWith("deleted file mode")));

    private static string StripPrefix(string path)
    {
        path = path.Split('\t')[0].Trim();
        if (path == "/dev/null") return path;
        return path.StartsWith("a/") || path.StartsWith("b/") ? path[2..] : path;
    }

    [GeneratedRegex(@"^diff --git a/(\S+) b/(\S+)")]
    private static partial Regex DiffGitRegex();

    [GeneratedRegex(@"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")]
    private static partial Regex HunkRegex();
}
