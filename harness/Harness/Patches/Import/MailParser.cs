using System.Text;
using System.Text.RegularExpressions;
using Harness.Errors;

namespace Harness.Patches.Import;

/// <summary>
/// Splits the importer's input into <see cref="MailMessage"/>s. Two shapes are read: an mbox (one or more
/// messages with real headers, as `b4 am` and `git format-patch` write them) and a web-archive copy
/// (subject on the first line, then "From: Name" and "Date: ..." pseudo-headers, whitespace mangled).
/// </summary>
internal static partial class MailParser
{
    public static IReadOnlyList<MailMessage> Parse(string text, string source)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        if (lines.Count > 0 && lines[^1] == "") lines.RemoveAt(lines.Count - 1);
        if (lines.All(string.IsNullOrWhiteSpace))
            throw new BadInputException($"{source}: the file is empty. Give an mbox (b4 am, git format-patch) or a mail archive copy of a patch.");
        if (!lines.Any(l => HunkHeaderRegex().IsMatch(l)))
            throw new BadInputException($"{source}: no diff found (no '@@ -N,M +N,M @@' hunk header). " +
                                        "Give an mbox (b4 am, git format-patch) or a mail archive copy of a patch.");

        var messages = new List<MailMessage>();
        foreach (var chunk in SplitMbox(lines))
        {
            if (!chunk.Any(l => HunkHeaderRegex().IsMatch(l))) continue; // a cover letter: nothing to apply
            messages.Add(ParseOne(chunk, source, messages.Count + 1));
        }
        return messages;
    }

    /// <summary>mbox messages start with "From &lt;anything&gt; &lt;date&gt;"; an archive copy is one message.</summary>
    private static IEnumerable<List<string>> SplitMbox(List<string> lines)
    {
        var current = new List<string>();
        foreach (var line in lines)
        {
            if (MboxSeparatorRegex().IsMatch(line) && current.Count > 0)
            {
                yield return current;
                current = [];
            }
            current.Add(line);
        }
        if (current.Count > 0) yield return current;
    }

    private static MailMessage ParseOne(List<string> lines, string source, int index)
    {
        var warnings = new List<string>();
        var at = 0;
        if (MboxSeparatorRegex().IsMatch(lines[0])) at = 1;
        var headers = ReadHeaders(lines, ref at);
        string subject;
        if (headers.Count > 0 && headers.ContainsKey("subject"))
            subject = headers["subject"];
        else
        {
            // Archive copy: the subject is the first non-blank line, pseudo-headers follow after blanks.
            at = 0;
            while (at < lines.Count && lines[at].Trim() == "") at++;
            subject = lines[at++].Trim();
            while (at < lines.Count && lines[at].Trim() == "") at++;
            foreach (var (key, value) in ReadHeaders(lines, ref at)) headers[key] = value;
            if (SubjectLineRegex().Match(subject) is { Success: true } s) subject = s.Groups[1].Value.Trim();
        }

        var (body, notesAndDiff) = SplitBody(lines, at);
        var (notes, diff, signature) = SplitNotes(notesAndDiff);
        if (!headers.TryGetValue("from", out var from))
            throw new BadInputException($"{source}: message {index} ('{subject}') has no From: line. Add 'From: Name <email>' above the message.");
        var (name, email) = SplitAddress(DecodeWords(from));
        if (email is null || !email.Contains('@'))
        {
            email = SignedOffEmail(body, name);
            if (email is null)
                throw new BadInputException($"{source}: message {index} ('{subject}'): the author '{name}' has no email and no Signed-off-by " +
                                            "line names them. Add 'From: Name <email>' above the message.");
            warnings.Add($"author email taken from the Signed-off-by line: {email}");
        }
        DateTimeOffset? date = null;
        if (headers.TryGetValue("date", out var rawDate))
        {
            date = MailDates.Parse(rawDate);
            if (date is null) warnings.Add($"date '{rawDate}' not understood; git am will use the current time");
        }
        return new MailMessage(name, email, date, DecodeWords(subject), body, notes, diff, signature, warnings);
    }

    /// <summary>Reads "Key: value" lines (with folded continuations) up to the first blank or non-header line.</summary>
    private static Dictionary<string, string> ReadHeaders(List<string> lines, ref int at)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        while (at < lines.Count && lines[at].Trim() != "")
        {
            var line = lines[at];
            if (last is not null && (line.StartsWith(' ') || line.StartsWith('\t')))
                headers[last] += " " + line.Trim();
            else if (HeaderRegex().Match(line) is { Success: true } m)
            {
                last = m.Groups[1].Value.ToLowerInvariant();
                headers[last] = m.Groups[2].Value.Trim();
            }
            else break;
            at++;
        }
        while (at < lines.Count && lines[at].Trim() == "") at++;
        return headers;
    }

    /// <summary>The commit message ends where git mailinfo ends it: at a "---" line or the first diff line.</summary>
    private static (List<string> Body, List<string> After) SplitBody(List<string> lines, int at)
    {
        var end = at;
        while (end < lines.Count && lines[end].TrimEnd() != "---" && !lines[end].StartsWith("diff --git ") &&
               !HunkHeaderRegex().IsMatch(lines[end]) && !lines[end].StartsWith("Index: "))
            end++;
        var body = Trim(lines.GetRange(at, end - at));
        var restStart = end < lines.Count && lines[end].TrimEnd() == "---" ? end + 1 : end;
        return (body, lines.GetRange(restStart, lines.Count - restStart));
    }

    /// <summary>Separates notes from the diff; drops the diffstat (it is regenerated) and the signature.</summary>
    private static (List<string> Notes, List<string> Diff, string? Signature) SplitNotes(List<string> rest)
    {
        var diffStart = rest.FindIndex(l => l.StartsWith("diff --git ") || l.StartsWith("Index: "));
        if (diffStart < 0)
        {
            var hunk = rest.FindIndex(l => HunkHeaderRegex().IsMatch(l));
            diffStart = Math.Max(0, hunk - 2);
        }
        var notes = rest.Take(diffStart)
            .Where(l => l.TrimEnd() != "---" && !DiffstatRegex().IsMatch(l) && !DiffstatSummaryRegex().IsMatch(l) &&
                        !l.TrimStart().StartsWith("create mode ") && !l.TrimStart().StartsWith("delete mode "))
            .ToList();
        var diff = rest.Skip(diffStart).ToList();
        string? signature = null;
        // The "-- " signature line (its trailing space often lost in archives), then a version line.
        for (var i = diff.Count - 1; i >= 0; i--)
        {
            if (diff[i].TrimEnd() != "--") continue;
            var tail = diff.Skip(i + 1).Where(l => l.Trim() != "").ToList();
            if (tail.Count > 1 || (tail.Count == 1 && !VersionRegex().IsMatch(tail[0].Trim()))) break;
            signature = tail.Count == 1 ? tail[0].Trim() : null;
            diff = diff.Take(i).ToList();
            break;
        }
        return (Trim(notes), diff, signature);
    }

    private static List<string> Trim(List<string> lines)
    {
        var start = lines.FindIndex(l => l.Trim() != "");
        if (start < 0) return [];
        var end = lines.FindLastIndex(l => l.Trim() != "");
        return lines.GetRange(start, end - start + 1).Select(l => l.TrimEnd()).ToList();
    }

    private static (string Name, string? Email) SplitAddress(string from)
    {
        var m = AddressRegex().Match(from);
        if (m.Success) return (m.Groups[1].Value.Trim().Trim('"'), m.Groups[2].Value.Trim());
        if (from.Contains('@') && !from.Contains(' ')) return (from, from);
        return (from.Trim().Trim('"'), null);
    }

    private static string? SignedOffEmail(IEnumerable<string> body, string name)
    {
        foreach (var line in body)
        {
            var m = SignedOffRegex().Match(line);
            if (!m.Success) continue;
            var (n, e) = SplitAddress(m.Groups[1].Value);
            if (e is not null && string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) return e;
        }
        return null;
    }

    /// <summary>RFC 2047 encoded words (=?UTF-8?q?...?= / ?b?), which b4 writes for non-ASCII names.</summary>
    private static string DecodeWords(string text) =>
        EncodedWordRegex().Replace(text, m =>
        {
            var charset = Encoding.GetEncoding(m.Groups[1].Value);
            var payload = m.Groups[3].Value;
            if (m.Groups[2].Value.Equals("b", StringComparison.OrdinalIgnoreCase))
                return charset.GetString(Convert.FromBase64String(payload));
            var bytes = new List<byte>();
            for (var i = 0; i < payload.Length; i++)
            {
                if (payload[i] == '_') bytes.Add((byte)' ');
                else if (payload[i] == '=' && i + 2 < payload.Length)
                {
                    bytes.Add(Convert.ToByte(payload.Substring(i + 1, 2), 16));
                    i += 2;
                }
                else bytes.Add((byte)payload[i]);
            }
            return charset.GetString(bytes.ToArray());
        }).Replace("?= =?", "");

    /// <summary>mbox "From " lines: git's "From &lt;sha&gt; Mon Sep 17 00:00:00 2001", b4's "From git@z Thu Jan  1 00:00:00 1970".</summary>
    [GeneratedRegex(@"^From \S+ +\w{3} \w{3} +\d+ \d+:\d+:\d+ \d{4}")]
    internal static partial Regex MboxSeparatorRegex();

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)$")]
    private static partial Regex HeaderRegex();

    [GeneratedRegex(@"^Subject:\s*(.*)$")]
    private static partial Regex SubjectLineRegex();

    [GeneratedRegex(@"^@@ -\d+(,\d+)? \+\d+(,\d+)? @@")]
    internal static partial Regex HunkHeaderRegex();

    [GeneratedRegex(@"^\s*\S+\s+\|\s+(\d+ ?[+-]*|Bin .*)$")]
    private static partial Regex DiffstatRegex();

    [GeneratedRegex(@"^\s*\d+ files? changed")]
    private static partial Regex DiffstatSummaryRegex();

    [GeneratedRegex(@"^[\w.+-]+$")]
    private static partial Regex VersionRegex();

    [GeneratedRegex(@"^(.*)<([^>]*)>\s*$")]
    private static partial Regex AddressRegex();

    [GeneratedRegex(@"^\s*Signed-off-by:\s*(.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex SignedOffRegex();

    [GeneratedRegex(@"=\?([^?]+)\?([qQbB])\?([^?]*)\?=")]
    private static partial Regex EncodedWordRegex();
}
