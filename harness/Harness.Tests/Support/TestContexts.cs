using Harness.Config;
using Harness.Pipeline;
using Harness.Processes;

namespace Harness.Tests.Support;

/// <summary>Stage contexts over a temp directory: a real process runner (git and make are the boundary we test), recorded progress.</summary>
public static class TestContexts
{
    public static ArchConfig FakeArch(string name = "fake", IReadOnlyList<string>? fragments = null) => new()
    {
        Name = name,
        SourceFile = $"configs/arch/{name}.yaml",
        KernelArch = name,
        CrossCompile = "",
        ImageTarget = "Image",
        ImagePath = $"arch/{name}/boot/Image",
        KconfigFragments = fragments ?? [],
        DebianArch = name,
        GnuTriplet = $"{name}-linux-gnu",
        BpfTargetArch = name,
        Qemu = new QemuConfig
        {
            Binary = "qemu-system-" + name, Package = "qemu-system-misc", Machine = "virt", Cpu = "max", KvmCpu = "host",
            Accelerators = ["tcg"], Memory = "256M", Cpus = 1, Console = "ttyS0", NetDevice = "virtio-net-pci", ExtraArguments = [],
        },
    };

    public static RunConfig Config(TempDirectory temp, ArchConfig arch, IReadOnlyList<string>? fragments = null, string? series = null,
        IReadOnlyList<string>? baselineWithout = null, int buildTimeoutSeconds = 600) => new()
    {
        SourceFile = temp.Combine("run.yaml"),
        Tree = new TreeSource.DebianPackage("linux-source-fake"),
        SeriesDirectory = series ?? temp.Combine("series"),
        BaselineWithout = baselineWithout ?? [],
        BaselineEnabled = baselineWithout is not null,
        Arches = [arch],
        SelftestsDirectory = temp.Combine("selftests"),
        ExpectationsFile = null,
        OutputDirectory = temp.Combine("results"),
        CacheDirectory = temp.Combine("cache"),
        KconfigDirectory = temp.Combine("kconfig"),
        KconfigBase = "tinyconfig",
        KconfigFragments = fragments ?? [],
        Timeouts = Timeouts.Default with { Build = buildTimeoutSeconds },
    };

    public static StageContext Create(RunConfig config, RecordingProgress? progress = null) =>
        new(config, new ProjectLayout(Path.GetDirectoryName(config.SourceFile)!), new CacheLayout(config.CacheDirectory), new ProcessRunner(),
            Path.Combine(config.OutputDirectory, "run"), progress ?? new RecordingProgress());
}

/// <summary>Keeps every progress line, for asserting what a stage said it did.</summary>
public sealed class RecordingProgress : IProgressSink
{
    public List<string> Lines { get; } = [];

    public void Stage(string arch, string stage, string message)
    {
        lock (Lines) Lines.Add($"{arch} {stage} {message}");
    }
}
