using Harness.Errors;

namespace Harness.Config;

/// <summary>The tree suites described under configs/suites/ (one NAME.yaml each), looked up by name, as <see cref="ArchRegistry"/>.</summary>
public sealed class TreeSuiteRegistry
{
    private readonly IReadOnlyDictionary<string, TreeSuite> _byName;

    private readonly string _directory;

    private TreeSuiteRegistry(IReadOnlyDictionary<string, TreeSuite> byName, string directory)
    {
        _byName = byName;
        _directory = directory;
    }

    public IReadOnlyCollection<string> Names => _byName.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Reads every NAME.yaml (or NAME.yml) of <paramref name="suiteDirectory"/>; a broken one is refused even when the run
    /// uses none. A missing directory is an empty registry (a checkout without suites).
    /// </summary>
    public static TreeSuiteRegistry Load(string suiteDirectory)
    {
        var files = Directory.Exists(suiteDirectory)
            ? Directory.GetFiles(suiteDirectory, "*.yaml").Concat(Directory.GetFiles(suiteDirectory, "*.yml")).Order(StringComparer.Ordinal).ToArray()
            : [];
        var suites = files.Select(TreeSuiteReader.Read).ToArray();
        foreach (var twice in suites.GroupBy(s => s.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            throw new BadInputException(
                $"{string.Join(" and ", twice.Select(s => s.SourceFile))} both describe the tree suite '{twice.Key}'. Keep one of them (delete or rename the other).");
        return new TreeSuiteRegistry(suites.ToDictionary(s => s.Name, StringComparer.Ordinal), suiteDirectory);
    }

    /// <summary>The suites beside the arch files: configs/suites/ next to configs/arch/.</summary>
    public static TreeSuiteRegistry Beside(ArchRegistry arches) =>
        Load(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(arches.SourceDirectory))!, "suites"));

    /// <summary>
    /// A suite by name, or a suite file by path (a value ending in .yaml or .yml: a suite of one's own, say a few files
    /// of the tree for a quick run).
    /// </summary>
    public TreeSuite Get(string nameOrFile)
    {
        if (nameOrFile.EndsWith(".yaml", StringComparison.Ordinal) || nameOrFile.EndsWith(".yml", StringComparison.Ordinal))
            return TreeSuiteReader.Read(Path.GetFullPath(nameOrFile));
        return _byName.TryGetValue(nameOrFile, out var suite)
            ? suite
            : throw new BadInputException($"Unknown tree suite '{nameOrFile}'. Available: {(Names.Count == 0 ? "none" : string.Join(", ", Names))} " +
                                          $"({RelativeToCheckout(_directory)}/). Use one of them, give a suite file (NAME.yaml), " +
                                          $"or describe {nameOrFile} in {Path.Combine(_directory, nameOrFile + ".yaml")}.");
    }

    /// <summary>"configs/suites" when the directory is a checkout's, else the path as it is.</summary>
    private static string RelativeToCheckout(string directory)
    {
        var full = Path.GetFullPath(directory).TrimEnd('/');
        var parent = Path.GetFileName(Path.GetDirectoryName(full) ?? "");
        return parent == "configs" ? $"configs/{Path.GetFileName(full)}" : full;
    }
}
