using Harness.Bench;
using Harness.Processes;
using NUnit.Framework;

namespace Harness.Tests.Bench;

public class PlainScriptsTests
{
    [Test]
    public void Reads_every_elapsed_line_in_seconds_and_ignores_the_rest()
    {
        var output = "elapsed-us 2325153\nssh attempts 3\nelapsed-us 4347577\n";

        Assert.That(PlainScripts.Elapsed(output), Is.EqualTo(new[] { 2.325153, 4.347577 }).Within(1e-9));
    }

    [Test]
    public void The_boot_loop_boots_each_command_line_on_its_port_and_kills_qemu_on_exit()
    {
        var script = PlainScripts.BootLoop(
            [(40001, "qemu-system-x86_64 -kernel K", "[127.0.0.1]:40001 ssh-ed25519 AAAA"), (40002, "qemu-system-x86_64 -kernel K", "[127.0.0.1]:40002 ssh-ed25519 AAAA")],
            "/keys/client key", "/tmp/kh", timeoutSeconds: 30);

        Assert.That(script, Does.Contain("trap 'if [ -n \"$qemu_pid\" ]; then kill $qemu_pid"));
        Assert.That(script, Does.Contain("boot 40001 qemu-system-x86_64 -kernel K\n"));
        Assert.That(script, Does.Contain("echo '[127.0.0.1]:40002 ssh-ed25519 AAAA' > /tmp/kh\nboot 40002 "));
        Assert.That(script, Does.Contain("ssh -i '/keys/client key' -p \"$port\" -o UserKnownHostsFile=/tmp/kh -o StrictHostKeyChecking=yes"));
        Assert.That(script, Does.Contain($"-o ConnectTimeout={PlainScripts.ConnectTimeoutSeconds} "));
        Assert.That(script, Does.Contain("> 30000000 )) && { echo \"no SSH within 30 s\""));
    }

    [Test]
    public void The_program_loop_opens_one_ssh_connection_per_program()
    {
        var script = PlainScripts.ProgramLoop("ssh -p 4000 root@127.0.0.1", "/usr/bin/harness-loader",
            ["/tmp/selftests/a.bpf.o:one", "/tmp/selftests/b.bpf.o:two"]);

        Assert.That(script, Does.Contain("for p in /tmp/selftests/a.bpf.o:one /tmp/selftests/b.bpf.o:two; do\n"));
        Assert.That(script, Does.Contain("  ssh -p 4000 root@127.0.0.1 -o BatchMode=yes \"/usr/bin/harness-loader --prog '$p'\" >/dev/null 2>&1\n"));
    }

    [Test, CancelAfter(20_000)]
    public async Task The_program_loop_runs_in_bash_and_reports_its_elapsed_time(CancellationToken cancellationToken)
    {
        // "true" stands in for ssh: whatever follows it is ignored, so the loop runs without a guest.
        var script = PlainScripts.ProgramLoop("true", "/usr/bin/harness-loader", ["a:1", "b:2", "c:3"]);

        var result = await new ProcessRunner().RunAsync(PlainScripts.Bash(script, TimeSpan.FromSeconds(15)), cancellationToken);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.StandardError);
        Assert.That(PlainScripts.Elapsed(result.StandardOutput), Has.Count.EqualTo(1));
    }

    [TestCase("HARNESS-BENCH-UPTIME 12.50 15.75\n", 3.25)]
    [TestCase("libbpf: noise\nHARNESS-BENCH-UPTIME 1.00 1.01\n", 0.01)]
    public void Reads_the_guest_time_around_the_loader(string stderr, double seconds)
    {
        Assert.That(ProgramBenchStage.GuestSeconds(stderr), Is.EqualTo(seconds).Within(1e-9));
    }

    [Test]
    public void A_loader_command_without_the_uptime_line_has_no_guest_time()
    {
        Assert.That(ProgramBenchStage.GuestSeconds("sh: harness-loader: not found\n"), Is.Null);
    }
}
