using System.CommandLine;
using Harness.Config;
using Harness.Errors;
using Harness.Patches;
using Harness.Pipeline;
using Harness.Processes;
using Harness.Vm;

namespace Harness.Cli;

/// <summary>Options and setup shared by `harness boot` and `harness exec`: one arch, one kernel.</summary>
public static class GuestOptions
{
    public static Option<string> Arch() => new("--arch")
    {
        Description = "Architecture of the guest (a name under configs/arch/)",
        Required = true,
    };

    public static Option<string?> Kernel() => new("--kernel", "-k")
    {
        Description = "Kernel image to boot (bzImage, Image); default: the patched kernel of the run config (built if needed)",
    };

    /// <summary>
    /// Validates the input and builds the stage context. Without --kernel, the kernel is the run config's patched
    /// kernel for the arch, from the cache or built now (the same stages as `harness build`).
    /// </summary>
    public static async Task<(StageContext Context, ArchConfig Arch, string Kernel)> LoadAsync(
        string? configFile, string archName, string? kernel, CancellationToken cancellationToken)
    {
        if (kernel is null)
        {
            var run = CommonOptions.Load(configFile, [archName]);
            HostPrograms.Check(HostPrograms.Guest(run.Arches.Single(), kernelFrom: run), run.Arches);
            var built = StageContexts.Create(run, "guest");
            var kernels = await KernelPipeline.RunAsync(built, [AppliedVariant.Patched], cancellationToken);
            return (built, run.Arches.Single(), kernels.Kernel(AppliedVariant.Patched, archName).Image);
        }
        var config = configFile is null ? GuestDefaults(archName) : CommonOptions.Load(configFile, [archName]);
        var arch = config.Arches.Single();
        var path = Path.GetFullPath(kernel);
        if (!File.Exists(path))
            throw new BadInputException($"--kernel {kernel}: no such file. Give the path of a {arch.ImageTarget} for {arch.Name}.");
        HostPrograms.Check(HostPrograms.Guest(arch, kernelFrom: null), [arch]);
        var runDirectory = Path.Combine(config.OutputDirectory, "guests");
        var context = new StageContext(config, ProjectLayout.Locate(), new CacheLayout(config.CacheDirectory), new ProcessRunner(), runDirectory, new ConsoleProgressSink());
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
