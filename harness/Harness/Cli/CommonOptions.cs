using System.CommandLine;
using Harness.Config;

namespace Harness.Cli;

/// <summary>Options most commands share, and how they turn into a validated <see cref="RunConfig"/>.</summary>
public static class CommonOptions
{
    public static Option<string?> Config() => new("--config", "-c")
    {
        Description = "Run config YAML (default: configs/run.yaml in the checkout)",
    };

    /// <remarks>No -a: on the commands that load programs -a is test_progs' allow glob (<see cref="ProgramFilterOptions"/>).</remarks>
    public static Option<string[]> Arch() => new("--arch")
    {
        Description = "Architecture(s) to use; default: the config's list",
        AllowMultipleArgumentsPerToken = true,
    };

    public static Option<string?> Tree() => new("--tree")
    {
        Description = "Your kernel git checkout (never modified; the harness works in a worktree)",
    };

    public static Option<string?> Base() => new("--base")
    {
        Description = "With --tree: the ref to apply the series onto (default HEAD)",
    };

    public static Option<string?> Series() => new("--series")
    {
        Description = "The series: a directory (a 'series' file plus numbered patches), an mbox (b4 am, git format-patch --stdout) or a web archive copy of a patch mail",
    };

    /// <summary>Loads the config and applies command-line overrides; all validation happens here, before any side effect.</summary>
    public static RunConfig Load(string? configFile, string[]? arches, string? tree = null, string? baseRef = null, string? series = null)
    {
        var layout = ProjectLayout.Locate();
        var registry = ArchRegistry.Load(layout.ArchDirectory);
        var config = RunConfigReader.Read(configFile ?? layout.DefaultRunConfig, registry);
        if (arches is { Length: > 0 })
            config = config with { Arches = arches.SelectMany(a => a.Split(',')).Select(registry.Get).ToArray() };
        if (tree is not null)
        {
            var path = Path.GetFullPath(tree);
            if (!Directory.Exists(path))
                throw new Errors.BadInputException($"--tree {tree}: no such directory. Give the path of a kernel git checkout.");
            config = config with { Tree = new TreeSource.GitCheckout(path, baseRef ?? "HEAD") };
        }
        else if (baseRef is not null && config.Tree is TreeSource.GitCheckout g)
            config = config with { Tree = g with { Ref = baseRef } };
        if (series is not null)
        {
            var path = Path.GetFullPath(series);
            if (!Directory.Exists(path) && !File.Exists(path))
                throw new Errors.BadInputException($"--series {series}: no such file or directory. Give a directory with a 'series' file and the patches, " +
                                                   "an mbox (b4 am, git format-patch --stdout) or a web archive copy of a patch mail.");
            // A file is split or imported into the run's directory by SeriesInputStage, once the run has one.
            config = config with { SeriesDirectory = path };
        }
        // A series directory whose series file is missing, empty or names a missing patch is refused before any side
        // effect (a file is turned into a directory by SeriesInputStage later).
        if (Directory.Exists(config.SeriesDirectory)) Patches.SeriesReader.Read(config.SeriesDirectory);
        return config;
    }
}
