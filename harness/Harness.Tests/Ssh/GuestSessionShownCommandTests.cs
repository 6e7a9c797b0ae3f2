using Harness.Ssh;

namespace Harness.Tests.Ssh;

/// <summary>Errors quote the command that failed, but not a loader command line naming sixty programs.</summary>
public class GuestSessionShownCommandTests
{
    [Test]
    public void A_short_command_is_quoted_whole()
    {
        Assert.That(GuestSession.Shown("sleep 60"), Is.EqualTo("sleep 60"));
    }

    [Test]
    public void A_long_command_is_cut_saying_how_much_was_left_out()
    {
        var command = "/tmp/harness-loader --timeout 120" + string.Concat(Enumerable.Repeat(" --prog /tmp/selftests/async_mem.bpf.o:mem_read_in_bounds", 60));

        var shown = GuestSession.Shown(command);

        Assert.Multiple(() =>
        {
            Assert.That(shown, Does.StartWith("/tmp/harness-loader --timeout 120 --prog /tmp/selftests/async_mem.bpf.o:mem_read_in_bounds"));
            Assert.That(shown, Does.EndWith($"... ({command.Length - 160} more characters)"));
            Assert.That(shown.Length, Is.LessThan(200));
        });
    }
}
