using Harness.Errors;

namespace Harness.Config;

/// <summary>The arches described under configs/arch/, looked up by name.</summary>
public sealed class ArchRegistry
{
    private readonly IReadOnlyDictionary<string, ArchConfig> _byName;

    private ArchRegistry(IReadOnlyDictionary<string, ArchConfig> byName) => _byName = byName;

    public IReadOnlyCollection<string> Names => _byName.Keys.Order(StringComparer.Ordinal).ToArray();

    public static ArchRegistry Load(string archDirectory)
    {
        if (!Directory.Exists(archDirectory))
            throw new BadInputException($"{archDirectory}: arch directory not found. It must hold one NAME.yaml per architecture.");
        var arches = Directory.GetFiles(archDirectory, "*.yaml")
            .Select(ArchConfigReader.Read)
            .ToDictionary(a => a.Name, StringComparer.Ordinal);
        return new ArchRegistry(arches);
    }

    public ArchConfig Get(string name) =>
        _byName.TryGetValue(name, out var arch)
            ? arch
            : throw new BadInputException($"Unknown arch '{name}'. Available: {string.Join(", ", Names)}");
}
