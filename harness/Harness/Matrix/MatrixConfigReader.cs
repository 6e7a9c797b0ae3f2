using System.Text.RegularExpressions;
using Harness.Config;
using Harness.Errors;

namespace Harness.Matrix;

/// <summary>
/// Reads a matrix YAML (configs/matrix.yaml is the nightly example):
/// <code>
/// defaults:  { a whole run config: the keys of configs/run.yaml }
/// arches:    [x86_64, arm64]                                   # optional, replaces defaults.arches
/// trees:     [{name: debian-6.12, tree: {...}}, ...]           # optional axes: a list of named entries,
/// series:    [{name: async, series: DIR, baseline: {...}}]     # each holding run config keys that replace
/// selftests: [{name: ours, selftests: DIR, expectations: F}]   # the defaults' for its cells
/// </code>
/// An entry replaces its axis's keys as a group: a selftests entry without `expectations` has no overlay (the defaults'
/// overlay names the defaults' programs), a series entry without `baseline` gets the default baseline (the whole series:
/// say which patches to leave out).
/// Every combination of one entry per axis is a cell, named by its entries' names joined with '_'. Each cell is bound
/// by <see cref="RunConfigReader"/>, so every error names matrix.yaml with the line and column of the value at fault.
/// Everything is validated here, before any side effect.
/// </summary>
public static partial class MatrixConfigReader
{
    /// <summary>The axes in the order they name a cell, and the run config keys an entry of each may set.</summary>
    public static readonly IReadOnlyList<(string Axis, string[] Keys)> Axes =
    [
        ("trees", ["tree"]),
        ("series", ["series", "baseline"]),
        ("selftests", ["selftests", "expectations"]),
    ];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9.-]*$")]
    private static partial Regex EntryName();

    public static MatrixConfig Read(string file, ArchRegistry arches)
    {
        var root = YamlNodeReader.Load(file).OnlyKeys(["defaults", "arches", .. Axes.Select(a => a.Axis)]);
        var defaults = root.Required("defaults");
        defaults.OnlyKeys([.. RunConfigReader.AllowedKeys]);
        var archOverride = root.Optional("arches");
        if (archOverride is not null && archOverride.Items().Count == 0)
            throw archOverride.Error($"is empty. List at least one of: {string.Join(", ", arches.Names)}, or leave it out to use defaults.arches.");

        var axes = Axes.Where(a => root.Has(a.Axis)).Select(a => (a.Axis, a.Keys, Entries: ReadAxis(root.Required(a.Axis), a.Keys))).ToArray();
        var cells = new List<MatrixCell>();
        foreach (var combination in Combinations(axes.Select(a => a.Entries).ToArray()))
        {
            var name = combination.Length == 0 ? "default" : string.Join('_', combination.Select(e => e.Name));
            var parts = combination.Select((e, i) => (e.Node, (IReadOnlyCollection<string>)axes[i].Keys)).ToList();
            if (archOverride is not null) parts.Add((root, ["arches"]));
            var config = RunConfigReader.Read(defaults.With(parts), arches);
            cells.Add(new MatrixCell(name, config));
        }
        var outputs = cells.Select(c => c.Config.OutputDirectory).Distinct().ToArray();
        if (outputs.Length > 1) throw defaults.Error("gives the cells different outputs. Set 'output' in defaults only.");
        return new MatrixConfig(Path.GetFullPath(file), cells);
    }

    private static IReadOnlyList<(string Name, YamlNodeReader Node)> ReadAxis(YamlNodeReader axis, string[] keys)
    {
        var items = axis.Items();
        if (items.Count == 0) throw axis.Error("is empty. Give at least one entry, or leave the axis out to use the defaults.");
        var entries = new List<(string Name, YamlNodeReader Node)>();
        foreach (var item in items)
        {
            item.OnlyKeys(["name", .. keys]);
            var nameNode = item.Required("name");
            var name = nameNode.AsString();
            if (!EntryName().IsMatch(name))
                throw nameNode.Error($"'{name}' is not a usable cell name part. Use letters, digits, '.' and '-' (it names a directory; '_' joins the parts).");
            if (entries.Any(e => e.Name == name))
                throw nameNode.Error($"'{name}' is already the name of another entry of '{axis.Path}'. Give each entry its own name.");
            if (!keys.Any(item.Has))
                throw item.Error($"sets none of {string.Join(", ", keys)}. Add what this entry changes.");
            entries.Add((name, item));
        }
        return entries;
    }

    private static IEnumerable<(string Name, YamlNodeReader Node)[]> Combinations(IReadOnlyList<IReadOnlyList<(string Name, YamlNodeReader Node)>> axes)
    {
        IEnumerable<(string Name, YamlNodeReader Node)[]> result = [[]];
        foreach (var axis in axes)
            result = result.SelectMany(prefix => axis.Select(entry => prefix.Append(entry).ToArray()));
        return result;
    }
}
