using Harness.Errors;

namespace Harness.Config;

/// <summary>
/// Binds a run config YAML (configs/run.yaml is the default) to a <see cref="RunConfig"/>.
/// Relative paths are taken from the directory holding the file; "~" is the home directory.
/// </summary>
public static class RunConfigReader
{
    private static readonly string[] Keys =
        ["tree", "series", "baseline", "arches", "selftests", "expectations", "output", "cache", "kconfig", "timeouts", "cost-growth", "targets", "retries", "reboots", "tree-suites"];

    /// <summary>The keys a run config may hold (a matrix's defaults and axis entries hold the same).</summary>
    public static IReadOnlyList<string> AllowedKeys => Keys;

    public static RunConfig Read(string file, ArchRegistry arches) => Read(YamlNodeReader.Load(file), arches);

    /// <summary>Binds a file; tree suites are looked up in <paramref name="suites"/>.</summary>
    public static RunConfig Read(string file, ArchRegistry arches, TreeSuiteRegistry suites) => Read(YamlNodeReader.Load(file), arches, suites);

    /// <summary>Binds an already loaded mapping (a matrix cell composed from several parts of one file); paths are relative to its file.</summary>
    public static RunConfig Read(YamlNodeReader root, ArchRegistry arches) => Read(root, arches, TreeSuiteRegistry.Beside(arches));

    /// <summary>Binds a mapping; `tree-suites:` names are looked up in <paramref name="suites"/> (configs/suites/ of the checkout).</summary>
    public static RunConfig Read(YamlNodeReader root, ArchRegistry arches, TreeSuiteRegistry suites)
    {
        var file = root.File;
        root.OnlyKeys(Keys);
        var dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
        string Resolve(string p) => ResolvePath(dir, p);

        var tree = ReadTree(root.Required("tree"), Resolve);
        var series = Resolve(root.String("series"));
        if (!Directory.Exists(series))
            throw root.Required("series").Error($"names '{series}', which is not a directory. Point it at a directory holding a 'series' file and the patches.");

        var baseline = root.Optional("baseline")?.OnlyKeys("enabled", "without");
        var archNodes = root.Required("arches").Items();
        if (archNodes.Count == 0) throw root.Required("arches").Error($"is empty. List at least one of: {string.Join(", ", arches.Names)}.");
        var archList = archNodes.Select(n => Lookup(arches, n)).ToArray();

        var kconfig = root.Required("kconfig").OnlyKeys("base", "fragments", "directory");
        var kconfigDir = Resolve(kconfig.OptionalString("directory") ?? "kconfig");
        var fragments = kconfig.StringList("fragments");
        foreach (var fragment in fragments.Concat(archList.SelectMany(a => a.KconfigFragments)))
            if (!File.Exists(Path.Combine(kconfigDir, fragment)))
                throw kconfig.Error($"names fragment '{fragment}', not found in {kconfigDir}. Create it or remove it from the list.");

        var selftests = Resolve(root.String("selftests"));
        if (!Directory.Exists(selftests))
            throw root.Required("selftests").Error($"names '{selftests}', which is not a directory. Point it at the directory of BPF C selftests.");
        var expectations = root.OptionalString("expectations") is { } e ? Resolve(e) : null;
        if (expectations is not null && !System.IO.File.Exists(expectations))
            throw root.Required("expectations").Error($"names '{expectations}', which does not exist. Fix the path or remove the key.");

        var timeouts = root.Optional("timeouts")?.OnlyKeys("build", "boot", "command", "program", "prepare");
        var d = Timeouts.Default;
        return new RunConfig
        {
            SourceFile = Path.GetFullPath(file),
            Tree = tree,
            SeriesDirectory = series,
            BaselineEnabled = baseline?.Bool("enabled", true) ?? true,
            BaselineWithout = baseline?.StringList("without") ?? [],
            Arches = archList,
            SelftestsDirectory = selftests,
            ExpectationsFile = expectations,
            OutputDirectory = Resolve(root.OptionalString("output") ?? "results"),
            CacheDirectory = Resolve(root.OptionalString("cache") ?? "~/.cache/harness"),
            KconfigDirectory = kconfigDir,
            KconfigBase = kconfig.OptionalString("base") ?? "tinyconfig",
            KconfigFragments = fragments,
            Timeouts = timeouts is null ? d : new Timeouts(
                Positive(timeouts, "build", d.Build), Positive(timeouts, "boot", d.Boot),
                Positive(timeouts, "command", d.Command), Positive(timeouts, "program", d.Program), Positive(timeouts, "prepare", d.Prepare)),
            CostGrowth = ReadCostGrowth(root.Optional("cost-growth")),
            Boards = global::Harness.Boards.BoardConfigReader.ReadList(root.Optional("targets"), dir, arches),
            Retries = NonNegative(root, "retries", RunConfig.DefaultRetries),
            Reboots = NonNegative(root, "reboots", RunConfig.DefaultReboots),
            TreeSuites = ReadTreeSuites(root, suites),
        };
    }

    /// <summary>cost-growth: {percent: 50, insns: 1000, states: 10}; each key optional, none negative.</summary>
    private static Compare.CostThresholds ReadCostGrowth(YamlNodeReader? node)
    {
        var d = Compare.CostThresholds.Default;
        if (node is null) return d;
        node.OnlyKeys("percent", "insns", "states");
        int Read(string key, long fallback)
        {
            var value = node.Int(key, (int)fallback);
            return value >= 0 ? value : throw node.Required(key).Error($"must be 0 or more (found {value}).");
        }
        return new Compare.CostThresholds(Read("percent", d.Percent), Read("insns", d.Insns), Read("states", d.States));
    }

    private static int NonNegative(YamlNodeReader root, string key, int fallback)
    {
        var value = root.Int(key, fallback);
        if (value < 0) throw root.Required(key).Error($"is {value}. Give 0 or more.");
        return value;
    }

    private static int Positive(YamlNodeReader node, string key, int fallback)
    {
        var value = node.Int(key, fallback);
        if (value <= 0) throw node.Required(key).Error($"is {value}. Give a number of seconds greater than 0.");
        return value;
    }

    /// <summary>tree-suites: [verifier]: each a suite name of configs/suites/ (or a suite file, relative to the config), once.</summary>
    private static IReadOnlyList<TreeSuite> ReadTreeSuites(YamlNodeReader root, TreeSuiteRegistry suites)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(root.File))!;
        var list = new List<TreeSuite>();
        foreach (var node in root.Optional("tree-suites")?.Items() ?? [])
        {
            var value = node.AsString();
            TreeSuite suite;
            try { suite = suites.Get(value.EndsWith(".yaml", StringComparison.Ordinal) || value.EndsWith(".yml", StringComparison.Ordinal) ? ResolvePath(dir, value) : value); }
            catch (BadInputException e) { throw node.Error(e.Message); }
            if (list.Any(s => s.Name == suite.Name)) throw node.Error($"names the tree suite '{suite.Name}' twice. List it once.");
            list.Add(suite);
        }
        return list;
    }

    private static ArchConfig Lookup(ArchRegistry arches, YamlNodeReader node)
    {
        try { return arches.Get(node.AsString()); }
        catch (BadInputException e) { throw node.Error(e.Message); }
    }

    private static TreeSource ReadTree(YamlNodeReader node, Func<string, string> resolve)
    {
        node.OnlyKeys("debian-package", "path", "ref");
        if (node.OptionalString("debian-package") is { } package)
        {
            if (node.Has("path")) throw node.Error("has both 'debian-package' and 'path'. Keep one.");
            return new TreeSource.DebianPackage(package);
        }
        if (node.OptionalString("path") is { } path)
            return new TreeSource.GitCheckout(resolve(path), node.OptionalString("ref") ?? "HEAD");
        throw node.Error("needs 'debian-package: linux-source-6.12' or 'path: /your/linux' (with an optional 'ref').");
    }

    public static string ResolvePath(string baseDirectory, string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~', '/'));
        return Path.GetFullPath(Path.Combine(baseDirectory, path));
    }
}
