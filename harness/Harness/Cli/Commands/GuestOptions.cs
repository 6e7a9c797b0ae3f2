using System.CommandLine;
using Harness.Config;
using Harness.Errors;
using Harness.Pipeline;
using Harness.Processes;
using Harness.Vm;

namespace Harness.Cli;

/// <summary>Options and setup shared by `harness boot` and `harness exec`: one arch, one kernel.</summary>
public static class GuestOptions
{
    public static Option<string> Arch() => new("--arch", "-a")
    {
        Description = "Architecture of the guest (a name under configs/arch/)",
        Required = true,
    };

    public static Option<string?> Kernel() => new("--kernel", "-k")
    {
        Description = "Kernel image to boot (bzImage, Image); default: the scratch build under the cache",
    };

    /// <summary>Validates the input and builds the stage context; no side effect but the run directory.</summary>
    public static (StageContext Context, ArchConfig Arch, string Kernel) Load(string? configFile, string archName, string? kernel)
    {
        var config = configFile is null ? GuestDefaults(archName) : CommonOptions.Load(configFile, [archName]);
        var arch = config.Arches.Single();
        var cache = new CacheLayout(config.CacheDirectory);
        var path = Path.GetFullPath(kernel ?? GuestLauncher.DefaultKernel(cache, arch));
        if (!File.Exists(path))
            throw new BadInputException(kernel is null
                ? $"No kernel for {arch.Name} at {path}. Build one, or pass --kernel PATH."
                : $"--kernel {kernel}: no such file. Give the path of a {arch.ImageTarget} for {arch.Name}.");
        var runDirectory = Path.Combine(config.OutputDirectory, "guests");
        var context = new StageContext(config, ProjectLayout.Locate(), cache, new ProcessRunner(), runDirectory, new ConsoleProgressSink());
        Directory.CreateDirectory(context.LogDirectory);
        return (context, arch, path);
    }

    /// <summary>
    /// Booting a kernel needs no tree, series or selftests, so without --config the guest commands do not
    /// require configs/run.yaml's series to exist: default cache, results/ and timeouts, and the arch file.
    /// </summary>
    private static RunConfig GuestDefaults(string archName)
    {
        var layout = ProjectLayout.Locate();
        var arch = ArchRegistry.Load(layout.ArchDirectory).Get(archName);
        return new RunConfig
        {
            SourceFile = "(defaults for boot/exec; pass --config to use a run config)",
            Tree = new TreeSource.DebianPackage("linux-source-6.12"),
            SeriesDirectory = "",
            BaselineWithout = [],
            BaselineEnabled = false,
            Arches = [arch],
            SelftestsDirectory = layout.SelftestsDirectory,
            ExpectationsFile = null,
            OutputDirectory = Path.Combine(layout.Root, "results"),
            CacheDirectory = RunConfigReader.ResolvePath(layout.Root, "~/.cache/harness"),
            KconfigDirectory = Path.Combine(layout.ConfigsDirectory, "kconfig"),
            KconfigBase = "tinyconfig",
            KconfigFragments = [],
            Timeouts = Timeouts.Default,
        };
    }
}
