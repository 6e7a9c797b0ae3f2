using Harness.Errors;

namespace Harness.Config;

/// <summary>
/// A named set of selftests that come with the kernel tree under test (configs/suites/NAME.yaml), run beside the
/// series' own: which C files of the tree, the include directories the tree's selftests Makefile gives them, and an
/// optional expectation overlay. Paths in <see cref="Sources"/> and <see cref="IncludeDirectories"/> are relative to
/// the tree; <see cref="ExpectationsFile"/> is absolute.
/// </summary>
public sealed record TreeSuite
{
    public required string Name { get; init; }
    public required string SourceFile { get; init; }
    public string Description { get; init; } = "";

    /// <summary>Relative to the tree; '*' and '?' may appear in the file name part (tools/testing/selftests/bpf/progs/verifier_*.c).</summary>
    public required IReadOnlyList<SuitePattern> Sources { get; init; }

    /// <summary>Relative to the tree, in search order (after the libbpf headers and the kernel's vmlinux.h).</summary>
    public required IReadOnlyList<string> IncludeDirectories { get; init; }
    public string? ExpectationsFile { get; init; }

    /// <summary>Map elements written before a test run, as the tree's prog_tests/verifier.c pre-execution callbacks write them.</summary>
    public IReadOnlyList<SuiteMapValue> MapValues { get; init; } = [];

    /// <summary>
    /// The C files of <paramref name="treeDirectory"/> the patterns match, in name order without duplicates. A pattern
    /// that matches nothing is bad input naming the suite file, line and column.
    /// </summary>
    public IReadOnlyList<string> SourceFiles(string treeDirectory)
    {
        var files = new List<string>();
        foreach (var pattern in Sources)
        {
            var directory = Path.Combine(treeDirectory, Path.GetDirectoryName(pattern.Pattern) ?? "");
            var name = Path.GetFileName(pattern.Pattern);
            var matched = Directory.Exists(directory) ? Directory.GetFiles(directory, name) : [];
            if (matched.Length == 0)
                throw new BadInputException($"{pattern.Where}: 'sources' pattern '{pattern.Pattern}' matches no file of the tree ({treeDirectory}). " +
                                            "Fix the pattern (relative to the tree, a wildcard only in the file name) or use a tree that has these selftests.");
            files.AddRange(matched);
        }
        return files.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }
}

/// <summary>One entry of a suite's `sources:` and where it is written (file:line:column), for the error when it matches nothing.</summary>
public sealed record SuitePattern(string Pattern, string Where);

/// <summary>
/// One map element at key 0, zeroes but for the given 32-bit words (byte offset to value, in the guest's byte order), written
/// after an accept and before the test run of every program of <see cref="File"/>.
/// </summary>
public sealed record SuiteMapValue(string File, string Map, IReadOnlyDictionary<uint, uint> Words)
{
    /// <summary>The loader's maps= text for the programs of one object ("verifier_x.bpf.o"), or null when none applies.</summary>
    public static string? LoaderText(IEnumerable<SuiteMapValue> values, string objectName) =>
        values.Where(m => Path.GetFileNameWithoutExtension(m.File) + ".bpf.o" == objectName).Select(m => m.ToLoaderText()).ToArray() is { Length: > 0 } parts
            ? string.Join(';', parts) : null;

    /// <summary>"MAP:OFF=0xVALUE,...", one part of the loader's maps= field.</summary>
    public string ToLoaderText() =>
        Map + ":" + string.Join(',', Words.Select(w => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{w.Key}=0x{w.Value:x}")));
}
