using Harness.Config;
using Harness.Pipeline;
using Harness.Processes;

namespace Harness.Tests.Selftests;

/// <summary>A temporary project checkout and cache, with a stage context over a given process runner.</summary>
internal sealed class SelftestsTestBed : IDisposable
{
    public SelftestsTestBed()
    {
        Root = Path.Combine(Path.GetTempPath(), "harness-selftests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public string Write(string relative, string text)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A context over <paramref name="runner"/>; <paramref name="prepareSeconds"/> is timeouts.prepare, the limit of each program the stages start.</summary>
    public StageContext Context(IProcessRunner runner, int prepareSeconds = Timeouts.DefaultPrepare) => new(
        // The selftest stages take what they need as arguments, except the limit of their programs.
        Config: new RunConfig
        {
            SourceFile = PathOf("run.yaml"),
            Tree = new TreeSource.DebianPackage("linux-source-fake"),
            SeriesDirectory = PathOf("series"),
            BaselineWithout = [],
            BaselineEnabled = false,
            Arches = [],
            SelftestsDirectory = PathOf("selftests"),
            ExpectationsFile = null,
            OutputDirectory = PathOf("results"),
            CacheDirectory = PathOf("cache"),
            KconfigDirectory = PathOf("kconfig"),
            KconfigBase = "tinyconfig",
            KconfigFragments = [],
            Timeouts = Timeouts.Default with { Prepare = prepareSeconds },
        },
        Project: new ProjectLayout(PathOf("project")),
        Cache: new CacheLayout(PathOf("cache")),
        Runner: runner,
        RunDirectory: PathOf("run"),
        Progress: new SilentProgress());

    public static ArchConfig Arch(string name, string crossCompile, string triplet, string bpfArch, string debianArch) => new()
    {
        Name = name,
        SourceFile = $"configs/arch/{name}.yaml",
        KernelArch = name,
        CrossCompile = crossCompile,
        ImageTarget = "Image",
        ImagePath = "arch/boot/Image",
        KconfigFragments = [],
        DebianArch = debianArch,
        GnuTriplet = triplet,
        BpfTargetArch = bpfArch,
        Qemu = null!,
    };

    public static ArchConfig X86 => Arch("x86_64", "", "x86_64-linux-gnu", "x86", "amd64");
    public static ArchConfig Arm64 => Arch("arm64", "aarch64-linux-gnu-", "aarch64-linux-gnu", "arm64", "arm64");

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }

    private sealed class SilentProgress : IProgressSink
    {
        public void Stage(string arch, string stage, string message) { }
    }
}
