using System.Text.RegularExpressions;

namespace Harness.Kconfig;

/// <summary>Finds `config SYMBOL` entries in a tree's Kconfig files (only when explaining a dropped symbol).</summary>
public static partial class KconfigDefinitions
{
    [GeneratedRegex(@"^\s*(?:menu)?config\s+([A-Za-z0-9_]+)\s*$")]
    private static partial Regex EntryStart();

    [GeneratedRegex(@"^\s*(?:config|menuconfig|choice|endchoice|menu|endmenu|if|endif|source|comment|mainmenu)\b")]
    private static partial Regex EntryEnd();

    [GeneratedRegex(@"^\s*(?:depends on|select|imply|visible if)\b")]
    private static partial Regex Dependency();

    [GeneratedRegex(@"^\s*-*help-*\s*$")]
    private static partial Regex HelpStart();

    /// <summary>A lookup over every Kconfig* file under <paramref name="sourceDirectory"/>, reading them on first use.</summary>
    public static Func<string, IReadOnlyList<KconfigEntry>> In(string sourceDirectory)
    {
        Dictionary<string, List<KconfigEntry>>? index = null;
        return symbol =>
        {
            index ??= Index(sourceDirectory);
            return index.TryGetValue(symbol, out var entries) ? entries : [];
        };
    }

    private static Dictionary<string, List<KconfigEntry>> Index(string sourceDirectory)
    {
        var index = new Dictionary<string, List<KconfigEntry>>(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(sourceDirectory, "Kconfig*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true });
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(sourceDirectory, file);
            foreach (var (symbol, entry) in Entries(relative, File.ReadAllLines(file)))
            {
                if (!index.TryGetValue(symbol, out var list)) index[symbol] = list = [];
                list.Add(entry);
            }
        }
        return index;
    }

    /// <summary>The entries of one Kconfig file: each symbol with its depends on / select / imply lines.</summary>
    public static IEnumerable<(string Symbol, KconfigEntry Entry)> Entries(string file, IReadOnlyList<string> lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (EntryStart().Match(lines[i]) is not { Success: true } start) continue;
            var dependencies = new List<string>();
            var j = i + 1;
            var inHelp = false;
            for (; j < lines.Count && !EntryEnd().IsMatch(lines[j]); j++)
            {
                // Help text is prose: a line in it starting with "depends on" is not a dependency.
                inHelp |= HelpStart().IsMatch(lines[j]);
                if (!inHelp && Dependency().IsMatch(lines[j])) dependencies.Add(lines[j].Trim());
            }
            yield return (start.Groups[1].Value, new KconfigEntry(file, i + 1, dependencies));
            i = j - 1;
        }
    }
}
