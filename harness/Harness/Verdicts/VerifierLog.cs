using System.Text;
using System.Text.RegularExpressions;

namespace Harness.Verdicts;

/// <summary>One verifier log line with its 1-based number.</summary>
public sealed record LogLine(int Number, string Text)
{
    public override string ToString() => $"{Number,5} | {Text}";
}

/// <summary>Where one expected message was found in a log, or that it was not.</summary>
public sealed record MessageMatch(string Pattern, bool Found, int Line, bool OutOfOrder);

/// <summary>
/// Reading verifier logs the way the kernel's test_loader does (validate_msgs): each expected message is
/// searched from the end of the previous match, so messages must appear in order; "{{...}}" parts of a
/// pattern are POSIX extended regular expressions, the rest is literal text.
/// </summary>
public static partial class VerifierLog
{
    public static IReadOnlyList<LogLine> Lines(string log)
    {
        var lines = log.Split('\n');
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        return lines.Take(count).Select((t, i) => new LogLine(i + 1, t.TrimEnd('\r'))).ToArray();
    }

    /// <summary>Matches <paramref name="patterns"/> in order; every pattern gets a result (test_loader stops at the first miss).</summary>
    public static IReadOnlyList<MessageMatch> MatchInOrder(string log, IReadOnlyList<string> patterns)
    {
        var matches = new List<MessageMatch>();
        var cursor = 0;
        foreach (var pattern in patterns)
        {
            if (Find(log, pattern, cursor) is { } hit)
            {
                matches.Add(new MessageMatch(pattern, true, LineOf(log, hit.Index), false));
                cursor = hit.Index + hit.Length;
            }
            else
            {
                var anywhere = Find(log, pattern, 0);
                matches.Add(new MessageMatch(pattern, false, anywhere is { } a ? LineOf(log, a.Index) : 0, anywhere is not null));
            }
        }
        return matches;
    }

    /// <summary>True when <paramref name="pattern"/> occurs anywhere in the log.</summary>
    public static bool Contains(string log, string pattern) => Find(log, pattern, 0) is not null;

    /// <summary>The first occurrence of a test_loader pattern at or after <paramref name="start"/>.</summary>
    public static (int Index, int Length)? Find(string log, string pattern, int start)
    {
        if (!pattern.Contains("{{", StringComparison.Ordinal))
        {
            var i = log.IndexOf(pattern, start, StringComparison.Ordinal);
            return i < 0 ? null : (i, pattern.Length);
        }
        var m = ToRegex(pattern).Match(log, start);
        return m.Success ? (m.Index, m.Length) : null;
    }

    /// <summary>
    /// The verifier's own message for a failed load: the first line of the block of non-trace lines just
    /// before the "processed N insns" summary (or the end of the log). Null when there is none.
    /// </summary>
    public static string? ErrorMessage(string log)
    {
        var lines = Lines(log);
        var end = lines.Count;
        for (var i = lines.Count - 1; i >= 0; i--)
            if (lines[i].Text.StartsWith("processed ", StringComparison.Ordinal) && lines[i].Text.Contains(" insns", StringComparison.Ordinal))
            {
                end = i;
                break;
            }
        // The stats lines the kernel prints after the error (log level 4) are not the error.
        while (end > 0 && IsStats(lines[end - 1].Text)) end--;
        var first = -1;
        for (var i = end - 1; i >= 0 && !IsTrace(lines[i].Text); i--) first = i;
        return first >= 0 ? lines[first].Text : null;
    }

    /// <summary>Lines <paramref name="before"/> above to <paramref name="after"/> below the 1-based <paramref name="line"/>.</summary>
    public static IReadOnlyList<LogLine> Around(string log, int line, int before = 3, int after = 8)
    {
        var lines = Lines(log);
        return lines.Skip(Math.Max(0, line - 1 - before)).Take(before + 1 + after).ToArray();
    }

    /// <summary>The last <paramref name="count"/> lines, where the verifier says why it stopped.</summary>
    public static IReadOnlyList<LogLine> Tail(string log, int count = 12)
    {
        var lines = Lines(log);
        return lines.Skip(Math.Max(0, lines.Count - count)).ToArray();
    }

    internal static int LineOf(string log, int index)
    {
        var line = 1;
        for (var i = 0; i < index && i < log.Length; i++)
            if (log[i] == '\n') line++;
        return line;
    }

    /// <summary>Instruction, state, branch and source lines of a verifier trace; anything else is a message.</summary>
    private static bool IsStats(string line) =>
        line.StartsWith("verification time", StringComparison.Ordinal) || line.StartsWith("stack depth", StringComparison.Ordinal);

    private static bool IsTrace(string line) => line.Length == 0 || TraceLine().IsMatch(line);

    [GeneratedRegex(@"^(\d+: |\d+:$|from \d+ to \d+|func#\d+ @|; |\s|mark_precise|last_idx |regs=|parent |frame\d|caller:|callee:|Validating |Func#|propagating |live_regs|verification time|stack depth|\.\.\.)")]
    private static partial Regex TraceLine();

    /// <summary>test_loader's compile_regex: literal text escaped, "{{re}}" kept; REG_NEWLINE semantics.</summary>
    internal static Regex ToRegex(string pattern)
    {
        var sb = new StringBuilder();
        var rest = pattern.AsSpan();
        var inRegex = false;
        while (!rest.IsEmpty)
        {
            if (!inRegex && rest.StartsWith("{{")) { inRegex = true; rest = rest[2..]; continue; }
            if (inRegex && rest.StartsWith("}}")) { inRegex = false; rest = rest[2..]; continue; }
            var c = rest[0];
            rest = rest[1..];
            if (inRegex) sb.Append(c);
            else sb.Append(Regex.Escape(c.ToString()));
        }
        var posix = sb.ToString()
            .Replace("[:digit:]", @"\d").Replace("[:space:]", @"\s").Replace("[:alpha:]", "a-zA-Z")
            .Replace("[:alnum:]", "a-zA-Z0-9").Replace("[:xdigit:]", "0-9a-fA-F").Replace("[:upper:]", "A-Z")
            .Replace("[:lower:]", "a-z").Replace("[:punct:]", @"!-/:-@\[-`{-~");
        return new Regex(posix, RegexOptions.Multiline | RegexOptions.CultureInvariant);
    }
}
