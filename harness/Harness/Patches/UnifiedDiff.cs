using System.Text.RegularExpressions;

namespace Harness.Patches;

/// <summary>One file's changes in a patch.</summary>
public sealed record FileDiff(string OldPath, string NewPath, IReadOnlyList<Hunk> Hunks);

/// <summary>One hunk: its header line and body lines, each still carrying its ' ', '-' or '+' prefix.</summary>
public sealed record Hunk(string Header, int OldStart, int OldCount, int NewStart, int NewCount, IReadOnlyList<string> Lines)
{
    /// <summary>The lines the hunk expects in the tree: context and removed lines, prefix stripped.</summary>
    public IReadOnlyList<string> OldLines =>
        Lines.Where(l => l.Length == 0 || l[0] is ' ' or '-').Select(l => l.Length == 0 ? "" : l[1..]).ToArray();
}

/// <summary>
/// Reads the diff part of a patch (git format-patch or plain unified diff). Hunk bodies are read by
/// their line counts, so a context line that itself starts with '+' or '-' is not misread.
/// </summary>
public static partial class UnifiedDiff
{
    [GeneratedRegex(@"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")]
    private static partial Regex HunkHeader();

    public static IReadOnlyList<FileDiff> Parse(string patchText)
    {
        var lines = patchText.Replace("\r\n", "\n").Split('\n');
        var files = new List<FileDiff>();
        string? oldPath = null, newPath = null;
        List<Hunk>? hunks = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("--- ", StringComparison.Ordinal) && i + 1 < lines.Length && lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal))
            {
                Flush();
                oldPath = StripPrefix(line[4..]);
                newPath = StripPrefix(lines[++i][4..]);
                hunks = [];
                continue;
            }
            var header = HunkHeader().Match(line);
            if (!header.Success || hunks is null) continue;
            int Group(int g, int fallback) => header.Groups[g].Success ? int.Parse(header.Groups[g].Value) : fallback;
            int oldCount = Group(2, 1), newCount = Group(4, 1);
            var body = new List<string>();
            int seenOld = 0, seenNew = 0;
            while ((seenOld < oldCount || seenNew < newCount) && i + 1 < lines.Length)
            {
                var next = lines[++i];
                if (next.StartsWith('\\')) continue; // "\ No newline at end of file"
                body.Add(next);
                var kind = next.Length == 0 ? ' ' : next[0];
                if (kind != '+') seenOld++;
                if (kind != '-') seenNew++;
            }
            hunks.Add(new Hunk(line, Group(1, 0), oldCount, Group(3, 0), newCount, body));
        }
        Flush();
        return files;

        void Flush()
        {
            if (oldPath is not null && newPath is not null && hunks is not null) files.Add(new FileDiff(oldPath, newPath, hunks));
            oldPath = newPath = null;
            hunks = null;
        }
    }

    private static string StripPrefix(string path)
    {
        var tab = path.IndexOf('\t');
        if (tab >= 0) path = path[..tab];
        return path.StartsWith("a/", StringComparison.Ordinal) || path.StartsWith("b/", StringComparison.Ordinal) ? path[2..] : path;
    }
}
