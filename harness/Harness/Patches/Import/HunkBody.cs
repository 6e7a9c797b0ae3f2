using System.Text.RegularExpressions;

namespace Harness.Patches.Import;

/// <summary>What a body line turned out to be in the placed hunk.</summary>
internal enum LineKind { Context, Removed, Added }

/// <summary>
/// One hunk body line with the readings it allows. A line starting with '+' or '-' in a mangled copy is an
/// added/removed line, or a context line whose own text starts with that character (a C "-1;" or "++i").
/// </summary>
internal sealed record BodyLine(string Raw, char Marker, bool NoNewlineAfter)
{
    /// <summary>True when the line may be read as context although it carries a '+'/'-'.</summary>
    public bool Ambiguous { get; init; }

    /// <summary>Text without the marker (what an added/removed line holds).</summary>
    public string MarkedContent => Marker is '+' or '-' or ' ' ? Raw[1..] : Raw;

    /// <summary>Text as a context line: the raw line when the marker is really content.</summary>
    public string ContextContent => Marker == ' ' ? Raw[1..] : Raw;
}

/// <summary>
/// A hunk body cut to its true extent. In a mangled copy a hunk runs until the next header, and the blank
/// lines before that may be context or separators; the header counts decide. With C unmarked context lines,
/// P '+' lines and M '-' lines, old = C + M + x and new = C + P + y where x '+' lines and y '-' lines are
/// really context: so x and y follow from the counts and only which lines they are is left to the tree.
/// </summary>
internal sealed partial record HunkBody(RawHunk Hunk, IReadOnlyList<BodyLine> Lines, int PlusAsContext, int MinusAsContext, bool Mangled, bool CountsMatched)
{
    public static HunkBody Resolve(RawHunk hunk)
    {
        var lines = new List<BodyLine>();
        foreach (var raw in hunk.Lines)
        {
            if (raw.StartsWith('\\'))
            {
                if (lines.Count > 0) lines[^1] = lines[^1] with { NoNewlineAfter = true };
                continue;
            }
            var marker = raw.Length > 0 && raw[0] is '+' or '-' or ' ' ? raw[0] : '\0';
            lines.Add(new BodyLine(raw, marker, false));
        }
        // Clean patch text marks every context line with a space; a mangled copy has unmarked non-blank lines
        // or added lines indented by a single space instead of tabs.
        var mangled = lines.Any(l => l.Marker == '\0' && l.Raw.Trim() != "") ||
                      lines.Any(l => l.Marker is '+' or '-' && SingleSpaceIndentRegex().IsMatch(l.Raw));
        var trailingBlanks = 0;
        for (var i = lines.Count - 1; i >= 0 && lines[i].Raw.Trim() == ""; i--) trailingBlanks++;

        HunkBody? best = null;
        for (var cut = 0; cut <= trailingBlanks; cut++)
        {
            var body = lines.Take(lines.Count - cut).ToList();
            var unmarked = body.Count(l => l.Marker is '\0' or ' ');
            var plus = body.Count(l => l.Marker == '+');
            var minus = body.Count(l => l.Marker == '-');
            var x = hunk.OldCount - unmarked - minus;
            var y = hunk.NewCount - unmarked - plus;
            if (x < 0 || y < 0 || x > plus || y > minus) continue;
            if (!mangled && (x > 0 || y > 0)) continue;
            if (best is null || x + y < best.PlusAsContext + best.MinusAsContext)
                best = new HunkBody(hunk, MarkAmbiguous(body, x, y), x, y, mangled, true);
        }
        // Counts that fit no reading: trust the markers and recount (the report says so).
        return best ?? new HunkBody(hunk, lines.Take(lines.Count - trailingBlanks).ToList(), 0, 0, mangled, false);
    }

    private static List<BodyLine> MarkAmbiguous(List<BodyLine> body, int x, int y) =>
        body.Select(l => l with { Ambiguous = (l.Marker == '+' && x > 0) || (l.Marker == '-' && y > 0) }).ToList();

    [GeneratedRegex(@"^[+-] [^\s*]")]
    private static partial Regex SingleSpaceIndentRegex();
}
