using System.Text.RegularExpressions;
using Harness.Errors;

namespace Harness.Matrix;

/// <summary>
/// `--shard K/N`: shard K (1-based) of N. The matrix's units, (cell, arch), are sorted by cell name then arch
/// name (ordinal) and dealt round-robin: unit i of that order goes to shard (i mod N) + 1. The split depends only
/// on the matrix file, never on the machine or the time, so N CI jobs given the same file and the same N cover
/// every unit exactly once; shards differ in size by at most one unit.
/// </summary>
public sealed partial record MatrixShard(int Index, int Count)
{
    /// <summary>The whole matrix (no --shard).</summary>
    public static MatrixShard All { get; } = new(1, 1);

    [GeneratedRegex(@"^(\d+)/(\d+)$")]
    private static partial Regex Form();

    public static MatrixShard Parse(string text)
    {
        var match = Form().Match(text.Trim());
        if (!match.Success || !int.TryParse(match.Groups[1].Value, out var k) || !int.TryParse(match.Groups[2].Value, out var n))
            throw new BadInputException($"--shard {text}: give K/N, e.g. --shard 1/2 for the first of two shards.");
        if (n < 1 || k < 1 || k > n)
            throw new BadInputException($"--shard {text}: K must be between 1 and N, and N at least 1 (e.g. 1/2 and 2/2).");
        return new MatrixShard(k, n);
    }

    /// <summary>The units this shard runs, in the matrix's own order (cells, then each cell's arches).</summary>
    public IReadOnlyList<MatrixUnit> Select(IReadOnlyList<MatrixUnit> units)
    {
        var mine = units.OrderBy(u => u.Cell, StringComparer.Ordinal).ThenBy(u => u.Arch, StringComparer.Ordinal)
            .Where((_, i) => i % Count == Index - 1).ToHashSet();
        return units.Where(mine.Contains).ToArray();
    }

    public override string ToString() => $"{Index}/{Count}";
}
