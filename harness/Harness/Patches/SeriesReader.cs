using Harness.Errors;

namespace Harness.Patches;

/// <summary>
/// Reads DIR/series: one patch file name per line, '#' starts a comment, blank lines are ignored.
/// quilt's options after the name (-p1) are refused rather than silently dropped.
/// </summary>
public static class SeriesReader
{
    public const string SeriesFileName = "series";

    public static PatchSeries Read(string directory)
    {
        var seriesFile = Path.Combine(Path.GetFullPath(directory), SeriesFileName);
        if (!File.Exists(seriesFile))
            throw new BadInputException($"{seriesFile}: series file not found. Create it with one patch file name per line, in the order to apply them.");

        var entries = new List<SeriesEntry>();
        var lines = File.ReadAllLines(seriesFile);
        for (var i = 0; i < lines.Length; i++)
        {
            var text = lines[i];
            var hash = text.IndexOf('#');
            if (hash >= 0) text = text[..hash];
            text = text.Trim();
            if (text.Length == 0) continue;
            var where = $"{seriesFile}:{i + 1}";
            if (text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length > 1)
                throw new BadInputException($"{where}: '{text}' has more than a file name. Patches are applied with git am (-p1); list only the file name.");
            var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(seriesFile)!, text));
            if (!File.Exists(path))
                throw new BadInputException($"{where}: patch '{text}' does not exist ({path}). Fix the name or add the file.");
            if (entries.Any(e => e.Name == text))
                throw new BadInputException($"{where}: patch '{text}' is listed twice. List each patch once.");
            entries.Add(new SeriesEntry(text, path, i + 1));
        }
        if (entries.Count == 0)
            throw new BadInputException($"{seriesFile}: lists no patches. Add one patch file name per line.");
        return new PatchSeries(Path.GetDirectoryName(seriesFile)!, seriesFile, entries);
    }

    /// <summary>
    /// Refuses a listed file that has no diff, naming its series line: git am would stop on it only after the tree
    /// is provisioned, so commands check it with the rest of their input.
    /// </summary>
    public static void CheckEachIsAPatch(PatchSeries series)
    {
        foreach (var entry in series.Patches.Where(e => !LooksLikePatch(e.Path)))
            throw new BadInputException($"{series.SeriesFile}:{entry.Line}: '{entry.Name}' is not a patch: it has no diff (no 'diff --git' or '--- ' and '+++ ' lines). " +
                                        "List files made by git format-patch, or remove the line.");
    }

    /// <summary>A file git am could apply something from: a git diff header, or a unified diff's file header pair.</summary>
    private static bool LooksLikePatch(string path)
    {
        var sawOld = false;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("diff --git ", StringComparison.Ordinal)) return true;
            if (sawOld && line.StartsWith("+++ ", StringComparison.Ordinal)) return true;
            sawOld = line.StartsWith("--- ", StringComparison.Ordinal);
        }
        return false;
    }
}
