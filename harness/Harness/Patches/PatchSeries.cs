namespace Harness.Patches;

/// <summary>A patch series: the patches listed in a quilt-style 'series' file, in order.</summary>
public sealed record PatchSeries(string Directory, string SeriesFile, IReadOnlyList<SeriesEntry> Patches)
{
    /// <summary>The series without the named patches (the baseline kernel leaves out the patch under review).</summary>
    public PatchSeries Without(IReadOnlyCollection<string> names) =>
        this with { Patches = Patches.Where(p => !names.Contains(p.Name)).ToArray() };
}

/// <summary>One line of the series file: the patch's file name, its full path, and the line it was listed on.</summary>
public sealed record SeriesEntry(string Name, string Path, int Line);
