using System.Text;
using System.Text.RegularExpressions;
using Harness.Errors;

namespace Harness.Patches.Inputs;

/// <summary>One mail of an mbox, its text kept byte for byte (so `git am` sees exactly what the sender wrote).</summary>
/// <param name="Text">The whole message, from its "From " separator line (if any) to the next one.</param>
/// <param name="Subject">The unfolded Subject: header, "" when the mail has none.</param>
/// <param name="Number">n of [PATCH n/m], or null.</param>
/// <param name="Total">m of [PATCH n/m], or null.</param>
/// <param name="Message">1-based position in the mbox.</param>
/// <param name="Line">1-based line where the message starts.</param>
/// <param name="HasDiff">True when the message carries a diff (a hunk header).</param>
public sealed record MboxMessage(string Text, string Subject, int? Number, int? Total, int Message, int Line, bool HasDiff)
{
    /// <summary>A cover letter: [PATCH 0/m], or a message without a diff whose subject numbers it 0.</summary>
    public bool IsCoverLetter => Number == 0;
}

/// <summary>
/// Splits an mbox (`b4 am`, `git format-patch --stdout`, or patch files concatenated) into its messages and
/// orders the patches: by n of [PATCH n/m] when every patch is numbered, else in file order. Pure.
/// </summary>
public static partial class MboxSplitter
{
    /// <summary>Every message of the mbox, in file order.</summary>
    public static IReadOnlyList<MboxMessage> Split(string text, string source)
    {
        if (text.Trim().Length == 0)
            throw new BadInputException($"{source}: the mbox is empty. Give an mbox with the patches (b4 am, git format-patch --stdout) or a series directory.");
        var messages = new List<MboxMessage>();
        var current = new StringBuilder();
        int start = 1, lineNumber = 0;
        foreach (var line in Lines(text))
        {
            lineNumber++;
            if (Import.MailParser.MboxSeparatorRegex().IsMatch(line) && current.ToString().Trim().Length > 0)
            {
                messages.Add(Message(current.ToString(), messages.Count + 1, start));
                current.Clear();
                start = lineNumber;
            }
            else if (current.Length == 0) start = lineNumber;
            current.Append(line);
        }
        if (current.ToString().Trim().Length > 0) messages.Add(Message(current.ToString(), messages.Count + 1, start));
        return messages;
    }

    /// <summary>
    /// The patches to apply, in order: cover letters left out, every other message checked to carry a diff,
    /// numbered patches sorted by n. Also says which numbers of the thread are not in the mbox.
    /// </summary>
    public static (IReadOnlyList<MboxMessage> Patches, IReadOnlyList<string> Notes) Patches(IReadOnlyList<MboxMessage> messages, string source)
    {
        var notes = new List<string>();
        var patches = new List<MboxMessage>();
        foreach (var m in messages)
        {
            if (m.IsCoverLetter && !m.HasDiff)
            {
                notes.Add($"cover letter skipped: message {m.Message} ('{m.Subject}')");
                continue;
            }
            if (!m.HasDiff)
                throw new BadInputException($"{source}: message {m.Message} at line {m.Line} ('{Subject(m)}') has no diff (no '@@ -N,M +N,M @@' hunk). " +
                                            "Remove the message from the mbox, or give the full patch mail (b4 am writes it).");
            patches.Add(m);
        }
        if (patches.Count == 0)
            throw new BadInputException($"{source}: no message carries a diff ({messages.Count} message(s), none a patch). " +
                                        "Give the patch mails themselves (b4 am, git format-patch --stdout).");
        if (patches.All(p => p.Number is not null))
        {
            var twice = patches.GroupBy(p => p.Number).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null)
                throw new BadInputException($"{source}: messages {string.Join(" and ", twice.Select(p => $"{p.Message} ('{p.Subject}')"))} " +
                                            $"are both patch {twice.Key}: two versions of the series are mixed. Keep one version (b4 am -v N).");
            patches = patches.OrderBy(p => p.Number).ToList();
            var total = patches.Max(p => p.Total ?? 0);
            var missing = Enumerable.Range(1, total).Where(n => patches.All(p => p.Number != n)).ToArray();
            if (missing.Length > 0)
                notes.Add($"patches {string.Join(", ", missing.Select(n => $"{n}/{total}"))} of the thread are not in the input");
        }
        return (patches, notes);
    }

    /// <summary>`git format-patch`'s file name: 0001-subject-words.patch, from the subject without its [PATCH ...] prefix.</summary>
    public static string FileName(int position, string subject)
    {
        var title = PrefixRegex().Replace(subject, "").Trim();
        var slug = SlugRegex().Replace(DotsRegex().Replace(title, "."), "-").Trim('-', '.');
        if (slug.Length == 0) slug = "patch";
        return $"{position:0000}-{slug}.patch";
    }

    /// <summary>The name without its number: "0002-bpf-x.patch" and "0001-bpf-x.patch" name the same change in two versions of a series.</summary>
    public static string Unnumbered(string fileName) => NumberRegex().Replace(fileName, "");

    private static MboxMessage Message(string text, int index, int line)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var subject = "";
        var at = Import.MailParser.MboxSeparatorRegex().IsMatch(lines[0]) ? 1 : 0;
        for (; at < lines.Length && lines[at].Trim().Length > 0; at++)
        {
            if (!lines[at].StartsWith("Subject:", StringComparison.OrdinalIgnoreCase)) continue;
            subject = lines[at]["Subject:".Length..].Trim();
            while (at + 1 < lines.Length && lines[at + 1].Length > 0 && lines[at + 1][0] is ' ' or '\t') subject += " " + lines[++at].Trim();
        }
        int? number = null, total = null;
        if (NumberingRegex().Match(subject) is { Success: true } n)
        {
            number = int.Parse(n.Groups[1].Value);
            total = int.Parse(n.Groups[2].Value);
        }
        return new MboxMessage(text, subject, number, total, index, line, lines.Any(l => Import.MailParser.HunkHeaderRegex().IsMatch(l)));
    }

    private static string Subject(MboxMessage m) => m.Subject.Length > 0 ? m.Subject : "no Subject: header";

    /// <summary>Lines with their line endings, so the messages concatenate back to the input exactly.</summary>
    private static IEnumerable<string> Lines(string text)
    {
        var from = 0;
        while (from < text.Length)
        {
            var end = text.IndexOf('\n', from);
            if (end < 0) { yield return text[from..]; yield break; }
            yield return text[from..(end + 1)];
            from = end + 1;
        }
    }

    [GeneratedRegex(@"^(?:(?:Re|Fwd?):\s*)*\[[^\]]*?\b(\d+)/(\d+)\s*\]", RegexOptions.IgnoreCase)]
    private static partial Regex NumberingRegex();

    [GeneratedRegex(@"^(?:(?:Re|Fwd?):\s*)*(?:\[[^\]]*\]\s*)+", RegexOptions.IgnoreCase)]
    private static partial Regex PrefixRegex();

    [GeneratedRegex(@"[^A-Za-z0-9._]+")]
    private static partial Regex SlugRegex();

    [GeneratedRegex(@"\.{2,}")]
    private static partial Regex DotsRegex();

    [GeneratedRegex(@"^\d{4}-")]
    private static partial Regex NumberRegex();
}
