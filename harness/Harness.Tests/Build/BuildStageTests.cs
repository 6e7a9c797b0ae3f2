using Harness.Build;
using Harness.Errors;
using Harness.Kconfig;
using Harness.Patches;
using Harness.Pipeline;
using Harness.Tests.Support;
using Harness.Tree;
using NUnit.Framework;

namespace Harness.Tests.Build;

/// <summary>Configure and build against a fake kernel tree (its Makefile can be told to fail): fast, no compiler involved.</summary>
public class BuildStageTests
{
    private TempDirectory _temp = null!;
    private GitRepo _repo = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temp = new TempDirectory();
        _repo = await FakeKernelTree.CreateAsync(_temp.Combine("linux"), CancellationToken.None);
        _temp.Write("kconfig/base.config", "# fake fragment\nCONFIG_FAKE=y\n");
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private async Task<(StageContext Context, KernelTree Tree, AppliedVariant Variant)> ArrangeAsync(string[] fragments, CancellationToken cancellationToken)
    {
        var context = TestContexts.Create(TestContexts.Config(_temp, TestContexts.FakeArch(), fragments: fragments));
        var commit = await _repo.RunAsync(cancellationToken, "rev-parse", "HEAD");
        var tree = new KernelTree("fake-linux", _repo.Path, commit, "fake");
        var variant = new AppliedVariant(AppliedVariant.Patched, commit, await _repo.RunAsync(cancellationToken, "rev-parse", "HEAD^{tree}"), []);
        return (context, tree, variant);
    }

    private static async Task<KernelArtifacts> ConfigureAndBuildAsync(StageContext context, KernelTree tree, AppliedVariant variant, CancellationToken cancellationToken)
    {
        var arch = context.Config.Arches[0];
        var configuration = await ConfigureStage.RunAsync(context, tree, variant, arch, cancellationToken);
        return await BuildStage.RunAsync(context, tree, variant, arch, configuration, cancellationToken);
    }

    [Test, CancelAfter(120_000)]
    public async Task Builds_a_kernel_and_keeps_image_vmlinux_config_and_log(CancellationToken cancellationToken)
    {
        var (context, tree, variant) = await ArrangeAsync(["base.config"], cancellationToken);

        var kernel = await ConfigureAndBuildAsync(context, tree, variant, cancellationToken);

        Assert.That(kernel.FromCache, Is.False);
        Assert.That(await File.ReadAllTextAsync(kernel.Image, cancellationToken), Is.EqualTo("image\n"));
        Assert.That(File.Exists(kernel.Vmlinux), Is.True);
        Assert.That(File.Exists(Path.Combine(kernel.Directory, "System.map")), Is.True);
        Assert.That(await File.ReadAllTextAsync(kernel.Config, cancellationToken), Does.Contain("CONFIG_FAKE=y"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(kernel.Directory, "build.log"), cancellationToken), Does.Contain("fake ccache gcc"));
        Assert.That(kernel.Directory, Does.StartWith(context.Cache.Kernel("fake", "")));
    }

    [Test, CancelAfter(120_000)]
    public async Task A_second_run_is_a_cache_hit_that_runs_no_make(CancellationToken cancellationToken)
    {
        var (context, tree, variant) = await ArrangeAsync(["base.config"], cancellationToken);
        var first = await ConfigureAndBuildAsync(context, tree, variant, cancellationToken);
        var builds = Path.Combine(context.Cache.BuildDirectory(tree.Key, "fake"), "builds");

        var second = await ConfigureAndBuildAsync(context, tree, variant, cancellationToken);

        Assert.That(second.FromCache, Is.True);
        Assert.That(second.Key, Is.EqualTo(first.Key));
        Assert.That(second.Image, Is.EqualTo(first.Image));
        Assert.That(await File.ReadAllLinesAsync(builds, cancellationToken), Has.Length.EqualTo(1));
    }

    [Test, CancelAfter(120_000)]
    public async Task Leaves_an_unchanged_config_untouched_so_make_rebuilds_nothing(CancellationToken cancellationToken)
    {
        var (context, tree, variant) = await ArrangeAsync(["base.config"], cancellationToken);
        await ConfigureAndBuildAsync(context, tree, variant, cancellationToken);
        var dotConfig = Path.Combine(context.Cache.BuildDirectory(tree.Key, "fake"), ".config");
        var before = File.GetLastWriteTimeUtc(dotConfig);
        // A new source tree (another commit) forces a build, but the .config it gets is the same text.
        await _repo.RunAsync(cancellationToken, "commit", "--quiet", "--allow-empty", "-m", "empty");
        Directory.Delete(context.Cache.Kernel("fake", ""), recursive: true);

        await ConfigureAndBuildAsync(context, tree, variant with { Commit = await _repo.RunAsync(cancellationToken, "rev-parse", "HEAD") }, cancellationToken);

        Assert.That(File.GetLastWriteTimeUtc(dotConfig), Is.EqualTo(before));
    }

    [Test, CancelAfter(120_000), Category("Faults")]
    public async Task A_build_past_its_limit_is_stopped_and_reported_naming_the_limit(CancellationToken cancellationToken)
    {
        // The fake make sleeps this long: an argument no other process on the machine has, to find it in the process table.
        const string seconds = "97.25";
        _repo.Write("SLEEP", seconds + "\n");
        await _repo.CommitAllAsync("a build that hangs", cancellationToken);
        var (context, tree, variant) = await ArrangeAsync(["base.config"], cancellationToken);
        context = context with { Config = context.Config with { Timeouts = context.Config.Timeouts with { Build = 2 } } };

        var error = (await Assert.ThrowsAsync<InfrastructureException>(() => ConfigureAndBuildAsync(context, tree, variant, cancellationToken)))!;

        Assert.That(error.ExitCode, Is.EqualTo(2));
        Assert.That(error.Message, Does.StartWith("The fake patched kernel build passed the 2 s limit (timeouts.build) and was stopped."));
        Assert.That(ProcessTable.Containing("sleep " + seconds), Is.Empty, "the hanging make and its children are gone");
        Assert.That(Directory.Exists(context.Cache.Kernel("fake", "")) && Directory.EnumerateFileSystemEntries(context.Cache.Kernel("fake", "")).Any(), Is.False,
            "no kernel kept from a stopped build");
    }

    [Test, CancelAfter(120_000)]
    public async Task A_failed_build_shows_the_first_compiler_error_and_keeps_the_log(CancellationToken cancellationToken)
    {
        _repo.Write("FAIL", """
              CC      kernel/bpf/verifier.o
            /src/linux/kernel/bpf/verifier.c: In function 'visit_insn':
            /src/linux/kernel/bpf/verifier.c:16981:17: error: 'meta' undeclared (first use in this function)
            16981 |                 meta = NULL;
                  |                 ^~~~
            make[4]: *** [scripts/Makefile.build:229: kernel/bpf/verifier.o] Error 1
            """);
        await _repo.CommitAllAsync("break the build", cancellationToken);
        var (context, tree, variant) = await ArrangeAsync(["base.config"], cancellationToken);

        var error = (await Assert.ThrowsAsync<InfrastructureException>(() => ConfigureAndBuildAsync(context, tree, variant, cancellationToken)))!;

        Assert.That(error.ExitCode, Is.EqualTo(2));
        Assert.That(error.Message, Does.StartWith("The fake patched kernel build failed at /src/linux/kernel/bpf/verifier.c:16981:17:"));
        Assert.That(error.Message, Does.Contain("'meta' undeclared (first use in this function)"));
        Assert.That(error.Message, Does.Contain("16981 |                 meta = NULL;"));
        var log = Path.Combine(context.Cache.BuildDirectory(tree.Key, "fake"), "build.log");
        Assert.That(error.Message, Does.Contain("Full log: " + log));
        Assert.That(await File.ReadAllTextAsync(log, cancellationToken), Does.Contain("Error 1"));
        Assert.That(File.Exists(context.LogFile("build-patched-fake")), Is.True);
    }

    [Test, CancelAfter(120_000)]
    public async Task Rejects_a_config_symbol_that_kconfig_dropped_naming_its_dependency(CancellationToken cancellationToken)
    {
        var fragment = _temp.Write("kconfig/pci.config", "# needs PCI, which nothing enables\nCONFIG_NEEDS_PCI=y\n");
        var (context, tree, variant) = await ArrangeAsync(["base.config", "pci.config"], cancellationToken);

        var error = (await Assert.ThrowsAsync<BadInputException>(() => ConfigureAndBuildAsync(context, tree, variant, cancellationToken)))!;

        Assert.That(error.Message, Does.Contain($"{fragment}:2: CONFIG_NEEDS_PCI requested y, final .config has n."));
        Assert.That(error.Message, Does.Contain("defined at Kconfig:4"));
        Assert.That(error.Message, Does.Contain("depends on PCI   [PCI=n]"));
        Assert.That(error.Message, Does.Not.Contain("depends on nothing"));
    }

    [Test]
    public void Names_the_debian_package_of_a_missing_program()
    {
        var arch = TestContexts.FakeArch() with { CrossCompile = "aarch64-linux-gnu-" };

        var error = Assert.Throws<InfrastructureException>(() => Toolchain.Check(arch, program => program is not ("pahole" or "aarch64-linux-gnu-gcc")))!;

        Assert.That(error.Message, Does.Contain("aarch64-linux-gnu-gcc, pahole not found on PATH"));
        Assert.That(error.Message, Does.Contain("sudo apt-get install gcc-aarch64-linux-gnu"));
        Assert.That(error.Message, Does.Contain("sudo apt-get install dwarves"));
    }
}
