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
