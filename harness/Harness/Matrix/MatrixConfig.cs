using Harness.Config;

namespace Harness.Matrix;

/// <summary>
/// A validated nightly matrix: every combination of its axes (kernel trees, series, selftest sets) is a cell, and
/// each cell is a whole run config that tests its arches. Built by <see cref="MatrixConfigReader"/>.
/// </summary>
public sealed record MatrixConfig(string SourceFile, IReadOnlyList<MatrixCell> Cells)
{
    /// <summary>Where the matrix run directory goes: the defaults' output (every cell shares it).</summary>
    public string OutputDirectory => Cells[0].Config.OutputDirectory;

    /// <summary>Every (cell, arch) the matrix tests, in cell order then each cell's arch order: what shards split.</summary>
    public IReadOnlyList<MatrixUnit> Units =>
        Cells.SelectMany(c => c.Config.Arches.Select(a => new MatrixUnit(c.Name, a.Name))).ToArray();

    public MatrixCell Cell(string name) => Cells.Single(c => c.Name == name);
}

/// <summary>One cell: its name (the names of its axis entries joined by '_') and its run config.</summary>
public sealed record MatrixCell(string Name, RunConfig Config);

/// <summary>One arch of one cell: the unit a shard takes or leaves.</summary>
public sealed record MatrixUnit(string Cell, string Arch)
{
    public override string ToString() => $"{Cell}/{Arch}";
}
