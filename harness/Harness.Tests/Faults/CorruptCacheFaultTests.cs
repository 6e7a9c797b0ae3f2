using Harness.Build;
using Harness.Config;
using Harness.Images;
using Harness.Kconfig;
using Harness.Patches;
using Harness.Pipeline;
using Harness.Processes;
using Harness.Selftests;
using Harness.Tests.Support;
using Harness.Tree;

namespace Harness.Tests.Faults;

/// <summary>
/// A damaged cache entry is detected and made again, never trusted: a kernel whose image was truncated or whose file
/// went missing, an interrupted (unmarked) kernel copy, a truncated guest initramfs, truncated selftest objects. Real
/// entries are COPIED from ~/.cache/harness into a temp cache (the real cache is shared and never damaged here).
/// </summary>
[Category("Faults")]
public class CorruptCacheFaultTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("truncated image", "Image has 2 bytes, 6 when it was made")]
    [TestCase("missing System.map", "System.map is missing")]
    [TestCase("empty vmlinux", "vmlinux is empty")]
    [CancelAfter(120_000)]
    public async Task A_damaged_kernel_in_the_cache_is_built_again_and_said_so(string damage, string expected, CancellationToken cancellationToken)
    {
        var repo = await FakeKernelTree.CreateAsync(_temp.Combine("linux"), cancellationToken);
        _temp.Write("kconfig/base.config", "CONFIG_FAKE=y\n");
        var progress = new RecordingProgress();
        var context = TestContexts.Create(TestContexts.Config(_temp, TestContexts.FakeArch(), fragments: ["base.config"]), progress);
        var commit = await repo.RunAsync(cancellationToken, "rev-parse", "HEAD");
        var tree = new KernelTree("fake-linux", repo.Path, commit, "fake");
        var variant = new AppliedVariant(AppliedVariant.Patched, commit, await repo.RunAsync(cancellationToken, "rev-parse", "HEAD^{tree}"), []);
        var arch = context.Config.Arches[0];
        var configuration = await ConfigureStage.RunAsync(context, tree, variant, arch, cancellationToken);
        var first = await BuildStage.RunAsync(context, tree, variant, arch, configuration, cancellationToken);
        Damage(first, damage);

        var second = await BuildStage.RunAsync(context, tree, variant, arch, configuration, cancellationToken);

        var builds = await File.ReadAllLinesAsync(Path.Combine(context.Cache.BuildDirectory(tree.Key, arch.Name), "builds"), cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(second.FromCache, Is.False);
            Assert.That(builds, Has.Length.EqualTo(2), "make ran again");
            Assert.That(progress.Lines, Has.Some.Contain($"cached kernel {first.Directory} is damaged ({expected}").And.Contain("building it again"));
            Assert.That(File.ReadAllText(second.Image), Is.EqualTo("image\n"));
            Assert.That(BuildStage.KernelEntryProblem(arch, second.Directory), Is.Null);
        });
    }

    /// <summary>A real kernel copied without its marker (kept before markers existed, or a copy cut short).</summary>
    [Test, CancelAfter(300_000)]
    public async Task A_real_kernel_without_marker_is_adopted_when_whole_and_refused_when_vmlinux_or_image_is_truncated(CancellationToken cancellationToken)
    {
        var arch = Checkout.Arch("x86_64");
        var real = (await BuiltKernels.PatchedAsync("x86_64")).Kernel(AppliedVariant.Patched, "x86_64").Directory;
        string Copy(string name)
        {
            var copy = _temp.Combine("kernels", "x86_64", name);
            Directory.CreateDirectory(copy);
            foreach (var file in Directory.GetFiles(real).Where(f => Path.GetFileName(f) != BuildStage.CompleteMarker))
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            return copy;
        }
        var whole = Copy("whole");
        var cutVmlinux = Copy("cut-vmlinux");
        Truncate(Path.Combine(cutVmlinux, "vmlinux"), 0.5);
        var cutImage = Copy("cut-image");
        Assert.That(BuildStage.KernelEntryProblem(arch, cutImage), Is.Null, "adopted before the damage");
        Truncate(Path.Combine(cutImage, "bzImage"), 0.5);

        Assert.Multiple(() =>
        {
            Assert.That(BuildStage.KernelEntryProblem(arch, whole), Is.Null);
            Assert.That(File.Exists(Path.Combine(whole, BuildStage.CompleteMarker)), "the marker is written on adoption");
            Assert.That(BuildStage.KernelEntryProblem(arch, cutVmlinux), Does.StartWith("vmlinux: section headers end at").And.EndWith("(truncated)"));
            Assert.That(BuildStage.KernelEntryProblem(arch, cutImage), Does.StartWith("bzImage has").And.Contain("when it was made (truncated or changed)"));
        });
    }

    /// <summary>The real guest image (and the Debian packages it is made of) copied into a temp cache; the initramfs is then cut in half.</summary>
    [TestCase(true), TestCase(false), CancelAfter(300_000)]
    public async Task A_truncated_guest_image_is_made_again(bool withMarker, CancellationToken cancellationToken)
    {
        var arch = Checkout.Arch("x86_64");
        var real = await RealGuests.ImageAsync(arch, cancellationToken);
        var realDirectory = Path.GetDirectoryName(real.Initramfs)!;
        var cache = new CacheLayout(_temp.Combine("cache"));
        // The downloaded .debs and their resolution (the extracted trees are made again from the .debs).
        foreach (var part in new[] { "debs", "resolved" })
            CopyDirectory(Path.Combine(RealGuests.Cache.Packages(arch.DebianArch), part), Path.Combine(cache.Packages(arch.DebianArch), part));
        var copy = cache.Image(arch.Name, real.Key);
        CopyDirectory(realDirectory, copy);
        if (!withMarker) File.Delete(Path.Combine(copy, ImageIntegrity.CompleteMarker));
        var builder = new ImageBuilder(new ProcessRunner(), cache, Checkout.Layout.VmImagesDirectory);
        var initramfs = Path.Combine(copy, Path.GetFileName(real.Initramfs));
        var length = new FileInfo(initramfs).Length;
        Truncate(initramfs, 0.5);
        Assert.That(ImageIntegrity.Problem(copy, Path.GetFileName(real.Initramfs)), Is.Not.Null, "the damage is seen");

        var image = await builder.RunAsync(new ImageRequest(arch, []), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(image.Initramfs, Is.EqualTo(initramfs));
            Assert.That(new FileInfo(image.Initramfs).Length, Is.EqualTo(length).Within(4096), "made again at full size");
            Assert.That(ImageIntegrity.Problem(copy, Path.GetFileName(real.Initramfs)), Is.Null);
        });
    }

    [TestCase(true), TestCase(false)]
    public void Truncated_selftest_objects_make_their_cache_entry_incomplete(bool sizesInMarker)
    {
        var final = _temp.Combine("objects", "key", "x86_64");
        var staging = CacheDirectory.Stage(final);
        File.Copy(Checkout.Fixture("btf", "expectations.bpf.o"), Path.Combine(staging, "expectations.bpf.o"));
        CacheDirectory.Publish(staging, final);
        if (!sizesInMarker) File.WriteAllText(Path.Combine(final, ".complete"), DateTime.UtcNow.ToString("O")); // a marker from before sizes were listed
        Assert.That(CacheDirectory.IsComplete(final), Is.True, "whole before the damage");

        Truncate(Path.Combine(final, "expectations.bpf.o"), 0.5);

        Assert.Multiple(() =>
        {
            Assert.That(CacheDirectory.IsComplete(final), Is.False);
            Assert.That(CacheDirectory.Problem(final), Does.StartWith("expectations.bpf.o").And.Contain("truncated"));
        });
    }

    [Test]
    public void A_cache_entry_without_its_marker_is_incomplete()
    {
        var final = _temp.Combine("objects", "key", "arm64");
        Directory.CreateDirectory(final);
        File.Copy(Checkout.Fixture("btf", "expectations.bpf.o"), Path.Combine(final, "expectations.bpf.o"));

        Assert.That(CacheDirectory.Problem(final), Does.Contain("no .complete marker"));
    }

    private static void Damage(KernelArtifacts kernel, string damage)
    {
        switch (damage)
        {
            case "truncated image": File.WriteAllText(kernel.Image, "im"); break;
            case "missing System.map": File.Delete(Path.Combine(kernel.Directory, "System.map")); break;
            case "empty vmlinux": File.WriteAllText(kernel.Vmlinux, ""); break;
            default: throw new ArgumentException(damage);
        }
    }

    private static void Truncate(string file, double keep)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
        stream.SetLength((long)(stream.Length * keep));
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
