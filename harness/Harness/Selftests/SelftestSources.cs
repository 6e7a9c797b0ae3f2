using Harness.Config;

namespace Harness.Selftests;

/// <summary>
/// A set of BPF selftests. The series' own (<see cref="Of"/>): a directory of C sources (*.c, compiled per arch) and/or
/// prebuilt objects (*.o, copied as they are), with <see cref="IncludeDirectories"/> searched after the directory itself
/// and its include/. A tree suite (<see cref="OfSuite"/>): the listed C files of the tree (<see cref="Files"/>), with the
/// suite's include directories of the tree; <see cref="Directory"/> is then the tree, the root error locations are
/// given relative to.
/// </summary>
public sealed record SelftestSources(string Directory, IReadOnlyList<string> IncludeDirectories)
{
    /// <summary>The suite name the results carry: "series" for the series' own, else the tree suite's name.</summary>
    public string Suite { get; init; } = SeriesSuite;

    /// <summary>The C sources of a tree suite; null for a directory (every *.c and *.o in it).</summary>
    public IReadOnlyList<string>? Files { get; init; }

    /// <summary>The overlay of documented disagreements for this set, or null.</summary>
    public string? ExpectationsFile { get; init; }

    /// <summary>A tree suite's map elements to write before test runs (<see cref="SuiteMapValue"/>); none for a directory.</summary>
    public IReadOnlyList<SuiteMapValue> MapValues { get; init; } = [];

    public const string SeriesSuite = "series";

    public static SelftestSources Of(string directory, params string[] includeDirectories) =>
        new(Path.GetFullPath(directory), includeDirectories.Select(Path.GetFullPath).ToArray());

    /// <summary>A tree suite's files and include path in <paramref name="treeDirectory"/> (a pattern matching nothing is bad input).</summary>
    public static SelftestSources OfSuite(TreeSuite suite, string treeDirectory)
    {
        var tree = Path.GetFullPath(treeDirectory);
        return new SelftestSources(tree, suite.IncludeDirectories.Select(d => Path.Combine(tree, d)).ToArray())
        {
            Suite = suite.Name, Files = suite.SourceFiles(tree), ExpectationsFile = suite.ExpectationsFile, MapValues = suite.MapValues,
        };
    }

    public IReadOnlyList<string> CSources =>
        Files ?? System.IO.Directory.GetFiles(Directory, "*.c").Order(StringComparer.Ordinal).ToArray();

    public IReadOnlyList<string> PrebuiltObjects =>
        Files is not null ? [] : System.IO.Directory.GetFiles(Directory, "*.o").Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Every file whose change must recompile: for a directory its sources, objects and headers (and include/'s), and the
    /// include directories' headers; for a tree suite its sources and every header under its include directories.
    /// </summary>
    public IReadOnlyList<string> Inputs
    {
        get
        {
            if (Files is not null)
                return Files.Concat(IncludeDirectories.Where(System.IO.Directory.Exists)
                        .SelectMany(d => System.IO.Directory.GetFiles(d, "*.h", SearchOption.AllDirectories)))
                    .Distinct(StringComparer.Ordinal).ToArray();
            var local = System.IO.Directory.GetFiles(Directory, "*.*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".c", StringComparison.Ordinal) || f.EndsWith(".h", StringComparison.Ordinal)
                            || f.EndsWith(".o", StringComparison.Ordinal));
            var included = IncludeDirectories.Where(System.IO.Directory.Exists)
                .SelectMany(d => System.IO.Directory.GetFiles(d, "*.h"));
            return local.Concat(included).ToArray();
        }
    }
}

/// <summary>
/// The objects of one arch, ready to upload: <see cref="Objects"/> are full paths in <see cref="Directory"/>.
/// <see cref="FileErrors"/> are the sources that did not compile (they have no object; the rest still run).
/// </summary>
public sealed record CompiledSelftests(string Arch, string Key, string Directory, IReadOnlyList<string> Objects)
{
    public IReadOnlyList<FileError> FileErrors { get; init; } = [];

    /// <summary>The suite the objects belong to ("series" or a tree suite's name).</summary>
    public string Suite { get; init; } = SelftestSources.SeriesSuite;
}

/// <summary>
/// A selftest file that gives no programs: a C source that does not compile (<see cref="Program"/> "(compile)"), or an
/// object that is not a BPF ELF with BTF ("(object)"). <see cref="Object"/> is the object name it has or would have had;
/// <see cref="Reason"/> reads "verifier_foo.c: does not compile for arm64: progs/verifier_foo.c:12:3: error: ...".
/// </summary>
public sealed record FileError(string Suite, string Object, string Program, string Reason)
{
    public const string Compile = "(compile)";
    public const string NotAnObject = "(object)";
}
