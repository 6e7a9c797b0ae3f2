using Harness.Ssh;

namespace Harness.Tests.Ssh;

public class HostKeyPinTests
{
    private const string Pinned = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDdtzuClrKPGIhDIFVRbmi8UEyr1dgGn30CiC06PJ0R1";

    [Test]
    public void Accepts_the_pinned_key_blob()
    {
        var pin = new HostKeyPin(Pinned + " root@harness");

        Assert.That(pin.Matches(Convert.FromBase64String(Pinned.Split(' ')[1])), Is.True);
    }

    [Test]
    public void Refuses_any_other_key_blob()
    {
        var pin = new HostKeyPin(Pinned);
        var other = Convert.FromBase64String(Pinned.Split(' ')[1]);
        other[^1] ^= 1;

        Assert.That(pin.Matches(other), Is.False);
    }

    [TestCase(22, "127.0.0.1 " + Pinned)]
    [TestCase(40022, "[127.0.0.1]:40022 " + Pinned)]
    public void Writes_a_known_hosts_line_for_ssh(int port, string expected)
    {
        Assert.That(new HostKeyPin(Pinned + " comment").KnownHostsLine("127.0.0.1", port), Is.EqualTo(expected));
    }
}
