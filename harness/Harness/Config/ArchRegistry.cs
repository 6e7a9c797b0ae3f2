using Harness.Errors;

namespace Harness.Config;

/// <summary>The arches described under configs/arch/ (one NAME.yaml each), looked up by name.</summary>
public sealed class ArchRegistry
{
    private readonly IReadOnlyDictionary<string, ArchConfig> _byName;

    private readonly string _directory;

    private ArchRegistry(IReadOnlyDictionary<string, ArchConfig> byName, string directory)
    {
        _byName = byName;
        _directory = directory;
    }

    /// <summary>The directory the arch files were read from.</summary>
    public string SourceDirectory => _directory;

    public IReadOnlyCollection<string> Names => _byName.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Reads every NAME.yaml (or NAME.yml) of <paramref name="archDirectory"/>; a broken one is refused even when the
    /// run uses another arch, so a mistake shows up at once and not the day someone picks that arch.
    /// </summary>
    public static ArchRegistry Load(string archDirectory)
    {
        if (!Directory.Exists(archDirectory))
            throw new BadInputException($"{archDirectory}: arch directory not found. It must hold one NAME.yaml per architecture.");
        var files = Directory.GetFiles(archDirectory, "*.yaml").Concat(Directory.GetFiles(archDirectory, "*.yml"))
            .Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
            throw new BadInputException($"{archDirectory}: no arch files. Add one NAME.yaml per architecture (see x86_64.yaml in the Harness checkout's configs/arch/).");
        var arches = files.Select(ArchConfigReader.Read).ToArray();
        // The name is the file's stem, so only x86_64.yaml beside x86_64.yml can describe one arch twice.
        foreach (var twice in arches.GroupBy(a => a.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            throw new BadInputException(
                $"{string.Join(" and ", twice.Select(a => a.SourceFile))} both describe the arch '{twice.Key}'. Keep one of them (delete or rename the other).");
        return new ArchRegistry(arches.ToDictionary(a => a.Name, StringComparer.Ordinal), archDirectory);
    }

    public ArchConfig Get(string name) =>
        _byName.TryGetValue(name, out var arch)
            ? arch
            : throw new BadInputException($"Unknown arch '{name}'. Available: {string.Join(", ", Names)} (the NAME.yaml files in {_directory}). " +
                                          $"Use one of them, or describe {name} in {Path.Combine(_directory, name + ".yaml")}.");
}
