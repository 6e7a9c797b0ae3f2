using System.Text.RegularExpressions;

namespace Harness.Patches;

/// <summary>A hunk that applied, but not at the line its header names.</summary>
public sealed record HunkOffset(string File, int Hunk, int AppliedAtLine, int OffsetLines);

/// <summary>Where `git apply --check` stopped: the file and the old-side start line of the hunk that failed.</summary>
public sealed record HunkRejection(string File, int OldStart);

/// <summary>What `git apply --check --verbose` said about one patch.</summary>
public sealed record ApplyCheck(bool Applies, IReadOnlyList<HunkOffset> Offsets, IReadOnlyList<HunkRejection> Rejections, IReadOnlyList<string> MissingFiles);

/// <summary>Reads the messages of `git apply --check --verbose` (LC_ALL=C) into data.</summary>
public static partial class ApplyCheckParser
{
    [GeneratedRegex(@"^Checking patch (.+)\.\.\.$")]
    private static partial Regex Checking();

    [GeneratedRegex(@"^Hunk #(\d+) succeeded at (\d+) \(offset (-?\d+) lines?\)\.$")]
    private static partial Regex Offset();

    [GeneratedRegex(@"^error: patch failed: (.+):(\d+)$")]
    private static partial Regex Failed();

    [GeneratedRegex(@"^error: (.+): (?:No such file or directory|does not exist in index)$")]
    private static partial Regex Missing();

    public static ApplyCheck Parse(string output, int exitCode)
    {
        var offsets = new List<HunkOffset>();
        var rejections = new List<HunkRejection>();
        var missing = new List<string>();
        var file = "";
        foreach (var line in output.Replace("\r\n", "\n").Split('\n'))
        {
            if (Checking().Match(line) is { Success: true } c) file = c.Groups[1].Value;
            else if (Offset().Match(line) is { Success: true } o)
                offsets.Add(new HunkOffset(file, int.Parse(o.Groups[1].Value), int.Parse(o.Groups[2].Value), int.Parse(o.Groups[3].Value)));
            else if (Failed().Match(line) is { Success: true } f)
                rejections.Add(new HunkRejection(f.Groups[1].Value, int.Parse(f.Groups[2].Value)));
            else if (Missing().Match(line) is { Success: true } m)
                missing.Add(m.Groups[1].Value);
        }
        return new ApplyCheck(exitCode == 0, offsets, rejections, missing);
    }
}
