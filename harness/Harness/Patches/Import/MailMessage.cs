using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Patches.Import;

/// <summary>
/// One patch mail split into the parts `git am` cares about. Lines keep their text exactly; the diff part
/// is everything from the first file header on, still possibly whitespace-mangled.
/// </summary>
/// <param name="AuthorName">From: display name.</param>
/// <param name="AuthorEmail">From: address, or the matching Signed-off-by's when the From: line has none.</param>
/// <param name="Date">Parsed date, or null when the input had none we could read (git am then uses now).</param>
/// <param name="Subject">Subject with its [PATCH ...] prefix, unfolded.</param>
/// <param name="Message">Commit message body lines (Signed-off-by lines included), trimmed of blank edges.</param>
/// <param name="Notes">Below-the-fold notes (between `---` and the diff), diffstat removed.</param>
/// <param name="DiffLines">The diff part, to be parsed by <see cref="MangledDiffParser"/>.</param>
/// <param name="Signature">The version after the `-- ` signature line (e.g. 2.44.0), if any.</param>
/// <param name="Warnings">What was guessed or could not be read, for the report.</param>
internal sealed record MailMessage(
    string AuthorName,
    string AuthorEmail,
    DateTimeOffset? Date,
    string Subject,
    IReadOnlyList<string> Message,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> DiffLines,
    string? Signature,
    IReadOnlyList<string> Warnings);

/// <summary>Reads dates the way mail archives print them, into an offset-aware value.</summary>
internal static partial class MailDates
{
    // US zone names that hypermail archives (lkml.iu.edu) print instead of an offset.
    private static readonly Dictionary<string, string> Zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = "+0000", ["UTC"] = "+0000", ["GMT"] = "+0000", ["Z"] = "+0000",
        ["EST"] = "-0500", ["EDT"] = "-0400", ["CST"] = "-0600", ["CDT"] = "-0500",
        ["MST"] = "-0700", ["MDT"] = "-0600", ["PST"] = "-0800", ["PDT"] = "-0700",
        ["CET"] = "+0100", ["CEST"] = "+0200",
    };

    public static DateTimeOffset? Parse(string text)
    {
        var t = CommentRegex().Replace(text, "").Trim();
        // "Tue May 07 2024 - 09:33:38 EST" (hypermail) -> "Tue, 07 May 2024 09:33:38 -0500"
        var hyper = HypermailRegex().Match(t);
        if (hyper.Success)
            t = $"{hyper.Groups["day"].Value} {hyper.Groups["mon"].Value} {hyper.Groups["year"].Value} {hyper.Groups["time"].Value} {hyper.Groups["zone"].Value}";
        t = ZoneNameRegex().Replace(t, m => Zones.TryGetValue(m.Groups[1].Value, out var z) ? " " + z : m.Value);
        t = WeekdayRegex().Replace(t, "");
        string[] formats = ["d MMM yyyy H:mm:ss zzz", "d MMM yyyy H:mm zzz", "d MMM yyyy H:mm:ss"];
        t = OffsetRegex().Replace(t, m => $"{m.Groups[1].Value}{m.Groups[2].Value}:{m.Groups[3].Value}");
        return DateTimeOffset.TryParseExact(t, formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var date) ? date : null;
    }

    /// <summary>RFC 2822 form, as git format-patch writes it.</summary>
    public static string Format(DateTimeOffset date)
    {
        var offset = date.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        offset = offset.Duration();
        return date.ToString("ddd, d MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture) + $"{sign}{offset.Hours:00}{offset.Minutes:00}";
    }

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex CommentRegex();

    [GeneratedRegex(@"^\w{3}\s+(?<mon>\w{3})\s+(?<day>\d{1,2})\s+(?<year>\d{4})\s+-\s+(?<time>\d{1,2}:\d{2}(:\d{2})?)\s+(?<zone>\S+)$")]
    private static partial Regex HypermailRegex();

    [GeneratedRegex(@"\s([A-Za-z]{1,4})$")]
    private static partial Regex ZoneNameRegex();

    [GeneratedRegex(@"^\s*[A-Za-z]{3},?\s+")]
    private static partial Regex WeekdayRegex();

    [GeneratedRegex(@"([+-])(\d{2})(\d{2})$")]
    private static partial Regex OffsetRegex();
}
