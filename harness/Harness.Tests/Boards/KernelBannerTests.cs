using Harness.Boards;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Boards;

public class KernelBannerTests
{
    // /proc/version of the harness's patched x86_64 guest, and the banner of its baseline build (same release).
    private const string PatchedProcVersion =
        "Linux version 6.12.117+ (root@vm) (gcc (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #2 Wed Nov 25 03:18:53 UTC 2026\n";
    private const string BaselineBanner =
        "Linux version 6.12.117+ (root@vm) (gcc (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #3 Wed Nov 25 03:19:42 UTC 2026";

    [Test]
    public void Finds_linux_banner_in_vmlinux_and_not_the_pre_link_copy_without_a_build_number()
    {
        var banners = KernelBanner.FromBytes(File.ReadAllBytes(Checkout.Fixture("vmlinux", "arm64-rodata.bin")));

        Assert.That(banners, Is.EqualTo(new[]
        {
            new KernelBanner("6.12.117+",
                "Linux version 6.12.117+ (root@vm) (aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP Wed Nov 25 03:37:22 UTC 2026"),
        }));
    }

    [Test]
    public void Reads_the_release_from_proc_version() =>
        Assert.That(KernelBanner.Parse(PatchedProcVersion)?.Release, Is.EqualTo("6.12.117+"));

    [Test]
    public void The_same_build_matches() =>
        Assert.That(BoardKernelCheck.Compare(KernelBanner.Parse(PatchedProcVersion)!, "6.12.117+", PatchedProcVersion), Is.Null);

    [TestCase("6.12.117+", PatchedProcVersion, "same release, another build: the build number or date differs")]
    [TestCase("6.1.0-28-arm64", PatchedProcVersion, "the release differs")]
    [TestCase("6.12.117+", "Linux", "/proc/version is not a kernel banner")]
    public void Tells_the_baseline_build_from_the_patched_one_by_more_than_the_release(string release, string procVersion, string expected) =>
        Assert.That(BoardKernelCheck.Compare(KernelBanner.Parse(BaselineBanner)!, release, procVersion), Is.EqualTo(expected));
}
