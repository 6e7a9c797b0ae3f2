using System.Text.RegularExpressions;
using Harness.Errors;

namespace Harness.Patches.Inputs;

/// <summary>
/// Tells what <c>--series</c> names by its content, not its name: a directory; an mbox (mail headers or "From "
/// separators, and diffs whose hunks are intact); or a web-archive copy (anything else with a hunk header, or
/// mail whose diff lost its whitespace), which only the importer can recover. Pure.
/// </summary>
public static partial class SeriesInputDetector
{
    public static SeriesInputKind Detect(string path)
    {
        if (Directory.Exists(path)) return SeriesInputKind.Directory;
        return DetectText(File.ReadAllText(path), path);
    }

    /// <exception cref="BadInputException">The text is empty or holds no diff at all.</exception>
    public static SeriesInputKind DetectText(string text, string source)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        if (lines.All(l => l.Trim().Length == 0))
            throw new BadInputException($"{source}: the file is empty. Give a series directory, an mbox (b4 am, git format-patch --stdout) " +
                                        "or a web archive copy of a patch mail.");
        if (!lines.Any(l => Import.MailParser.HunkHeaderRegex().IsMatch(l)))
            throw new BadInputException($"{source}: no diff found (no '@@ -N,M +N,M @@' hunk header), so it is not a patch. " +
                                        "Give a series directory, an mbox (b4 am, git format-patch --stdout) or a web archive copy of a patch mail.");
        return LooksLikeMail(lines) && HunksIntact(lines) ? SeriesInputKind.Mbox : SeriesInputKind.ArchiveCopy;
    }

    /// <summary>An mbox separator first, or a header block with From: and Subject: (one `git format-patch` file).</summary>
    private static bool LooksLikeMail(string[] lines)
    {
        var first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (Import.MailParser.MboxSeparatorRegex().IsMatch(lines[first])) return true;
        var headers = lines.Skip(first).TakeWhile(l => l.Trim().Length > 0).ToArray();
        return headers.All(l => HeaderRegex().IsMatch(l) || l[0] is ' ' or '\t')
               && headers.Any(l => l.StartsWith("From:", StringComparison.OrdinalIgnoreCase))
               && headers.Any(l => l.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Every hunk body holds exactly the lines its header counts, each marked ' ', '+' or '-' ('\' notes aside;
    /// an empty line is an empty context line whose space a mailer dropped, which git am accepts).
    /// </summary>
    public static bool HunksIntact(IReadOnlyList<string> lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var header = HunkCountsRegex().Match(lines[i]);
            if (!header.Success) continue;
            var oldCount = header.Groups[2].Success ? int.Parse(header.Groups[2].Value) : 1;
            var newCount = header.Groups[4].Success ? int.Parse(header.Groups[4].Value) : 1;
            while (oldCount > 0 || newCount > 0)
            {
                if (++i >= lines.Count) return false;
                var line = lines[i];
                var marker = line.Length == 0 ? ' ' : line[0];
                switch (marker)
                {
                    case '\\': continue;
                    case ' ': oldCount--; newCount--; break;
                    case '-': oldCount--; break;
                    case '+': newCount--; break;
                    default: return false;
                }
                if (oldCount < 0 || newCount < 0) return false;
            }
        }
        return true;
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9-]*:")]
    private static partial Regex HeaderRegex();

    [GeneratedRegex(@"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")]
    private static partial Regex HunkCountsRegex();
}
