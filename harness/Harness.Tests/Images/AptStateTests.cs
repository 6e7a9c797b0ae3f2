using Harness.Images;

namespace Harness.Tests.Images;

public class AptStateTests
{
    [Test]
    public void Gives_the_same_stamp_for_the_same_question_and_apt_state()
    {
        Assert.That(AptState.Stamp(["busybox-static", "libc6"], "arm64"), Is.EqualTo(AptState.Stamp(["busybox-static", "libc6"], "arm64")));
    }

    [Test]
    public void Gives_another_stamp_for_another_arch_or_package_list()
    {
        var stamp = AptState.Stamp(["busybox-static"], "arm64");

        Assert.That(AptState.Stamp(["busybox-static"], "amd64"), Is.Not.EqualTo(stamp));
        Assert.That(AptState.Stamp(["busybox-static", "libc6"], "arm64"), Is.Not.EqualTo(stamp));
    }
}
