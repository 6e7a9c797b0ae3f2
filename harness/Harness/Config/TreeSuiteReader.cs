namespace Harness.Config;

/// <summary>Binds configs/suites/NAME.yaml to a <see cref="TreeSuite"/>, refusing unknown keys, as <see cref="ArchConfigReader"/> does.</summary>
public static class TreeSuiteReader
{
    public static TreeSuite Read(string file)
    {
        var root = YamlNodeReader.Load(file).OnlyKeys("name", "description", "sources", "include-dirs", "expectations", "map-values");
        var name = root.String("name");
        var expected = Path.GetFileNameWithoutExtension(file);
        if (name != expected)
            throw root.Required("name").Error($"is '{name}' but the file is named '{Path.GetFileName(file)}'. Make them the same " +
                                              $"(name: {expected}, or rename the file to {name}{Path.GetExtension(file)}).");

        var sourceNodes = root.Required("sources").Items();
        if (sourceNodes.Count == 0)
            throw root.Required("sources").Error("is empty. List the C files relative to the tree, e.g. [tools/testing/selftests/bpf/progs/verifier_*.c].");
        var sources = sourceNodes.Select(n => new SuitePattern(Relative(n, "a C file"), n.Where)).ToArray();
        foreach (var (pattern, node) in sources.Zip(sourceNodes))
        {
            if (!pattern.Pattern.EndsWith(".c", StringComparison.Ordinal))
                throw node.Error($"is '{pattern.Pattern}'. Name C sources (ending in .c), e.g. tools/testing/selftests/bpf/progs/verifier_*.c.");
            if ((Path.GetDirectoryName(pattern.Pattern) ?? "").IndexOfAny(['*', '?']) >= 0)
                throw node.Error($"is '{pattern.Pattern}'. A wildcard may only be in the file name, not in a directory.");
        }
        var includes = root.Required("include-dirs").Items().Select(n => Relative(n, "a directory")).ToArray();

        var dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var expectations = root.OptionalString("expectations") is { } e ? RunConfigReader.ResolvePath(dir, e) : null;
        if (expectations is not null && !File.Exists(expectations))
            throw root.Required("expectations").Error($"names '{expectations}', which does not exist. Fix the path (relative to {Path.GetFileName(file)}) or remove the key.");

        var mapValues = root.Optional("map-values")?.Items().Select(MapValue).ToArray() ?? [];

        return new TreeSuite
        {
            MapValues = mapValues,
            Name = name,
            SourceFile = Path.GetFullPath(file),
            Description = root.OptionalString("description") ?? "",
            Sources = sources,
            IncludeDirectories = includes,
            ExpectationsFile = expectations,
        };
    }

    /// <summary>One entry of `map-values:`: {file: verifier_x.c, map: NAME, u32: {OFFSET: VALUE, ...}}.</summary>
    private static SuiteMapValue MapValue(YamlNodeReader node)
    {
        var entry = node.OnlyKeys("file", "map", "u32");
        var file = entry.String("file");
        if (file.Contains('/') || !file.EndsWith(".c", StringComparison.Ordinal))
            throw entry.Required("file").Error($"is '{file}'. Name one of the suite's C files by its file name, e.g. verifier_value_ptr_arith.c.");
        var map = entry.String("map");
        if (map.Length == 0 || map.IndexOfAny([':', ';', ',', '=', '\t', ' ']) >= 0)
            throw entry.Required("map").Error($"is '{map}'. Give the map's name as the C file declares it.");
        var words = new SortedDictionary<uint, uint>();
        foreach (var (offset, value) in entry.Required("u32").Entries())
        {
            var off = Number(offset, value, "byte offset");
            if (off % 4 != 0)
                throw value.Error($"has byte offset {offset}, which is not a multiple of 4. Give offsets of 32-bit words.");
            words[off] = Number(value.AsString(), value, "value");
        }
        if (words.Count == 0) throw entry.Required("u32").Error("is empty. Give at least one OFFSET: VALUE word.");
        return new SuiteMapValue(file, map, words);
    }

    private static uint Number(string text, YamlNodeReader node, string what)
    {
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text[2..], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var n)
            : uint.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out n);
        return ok ? n : throw node.Error($"has {what} '{text}', which is not a 32-bit unsigned number. Write it in decimal or 0x hex.");
    }

    /// <summary>A path inside the tree: relative, and not climbing out of it.</summary>
    private static string Relative(YamlNodeReader node, string what)
    {
        var value = node.AsString();
        if (value.Length == 0) throw node.Error($"is empty. Give {what} relative to the kernel tree.");
        if (Path.IsPathRooted(value) || value.Split('/').Contains(".."))
            throw node.Error($"is '{value}'. Give {what} relative to the kernel tree (no leading '/', no '..'): the suite's files come from the tree the run uses.");
        return value.TrimEnd('/');
    }
}
