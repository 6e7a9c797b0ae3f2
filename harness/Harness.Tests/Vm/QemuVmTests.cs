using Harness.Errors;
using Harness.Images;
using Harness.Ssh;
using Harness.Tests.Support;
using Harness.Vm;

namespace Harness.Tests.Vm;

/// <summary>The VM's boot and teardown logic against a fake QEMU (the real boots are in the EndToEnd tests).</summary>
public class QemuVmTests
{
    private string _dir = "";
    private GuestImage _image = null!;
    private string _kernel = "";

    [SetUp]
    public void CreateFiles()
    {
        _dir = Directory.CreateTempSubdirectory("harness-vm-test-").FullName;
        _kernel = Path.Combine(_dir, "bzImage");
        File.WriteAllText(_kernel, "");
        _image = new GuestImage("x86_64", Path.Combine(_dir, "initramfs.cpio.gz"), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDdtzuClrKPGIhDIFVRbmi8UEyr1dgGn30CiC06PJ0R1",
            Path.Combine(_dir, "client_ed25519"), "k");
    }

    [TearDown]
    public void RemoveFiles() => Directory.Delete(_dir, recursive: true);

    private VmRequest Request(TimeSpan? boot = null) =>
        new(Checkout.Arch("x86_64"), _kernel, _image, boot ?? TimeSpan.FromSeconds(60)) { StopGrace = TimeSpan.FromMilliseconds(200) };

    [Test, CancelAfter(20_000)]
    public async Task Fails_at_once_on_a_kernel_panic_with_the_last_console_lines(CancellationToken cancellationToken)
    {
        var qemu = new FakeQemuRunner(File.ReadAllLines(Checkout.Fixture("consoles", "x86_64-panic-no-init.log")), exitCodeAfterConsole: null);

        var error = await Assert.ThrowsAsync<InfrastructureException>(() => QemuVm.StartAsync(Request(), qemu, cancellationToken, NeverConnects));

        Assert.That(error!.Message, Does.Contain("the kernel failed while waiting for the guest's ready marker: "));
        Assert.That(error.Message, Does.Contain("Kernel panic - not syncing"));
        Assert.That(qemu.Running, Is.Zero, "QEMU was stopped");
        Assert.That(qemu.StoppedGracefully, Is.True, "QEMU got SIGINT before any kill");
    }

    [Test, CancelAfter(20_000)]
    public async Task Fails_when_qemu_exits_before_the_guest_is_ready(CancellationToken cancellationToken)
    {
        var qemu = new FakeQemuRunner(["qemu-system-x86_64: -kernel /k: could not open kernel file"], exitCodeAfterConsole: 1);

        var error = await Assert.ThrowsAsync<InfrastructureException>(() => QemuVm.StartAsync(Request(), qemu, cancellationToken, NeverConnects));

        Assert.That(error!.Message, Does.Contain("QEMU exited with code 1").And.Contain("could not open kernel file"));
    }

    [Test, CancelAfter(20_000)]
    public async Task Fails_after_the_boot_limit_when_the_guest_never_gets_ready(CancellationToken cancellationToken)
    {
        var qemu = new FakeQemuRunner(["[    0.000000] Linux version 6.12.117"], exitCodeAfterConsole: null);

        var error = await Assert.ThrowsAsync<InfrastructureException>(() => QemuVm.StartAsync(Request(TimeSpan.FromMilliseconds(500)), qemu, cancellationToken, NeverConnects));

        Assert.That(error!.Message, Does.Contain("no the guest's ready marker within the boot limit").Or.Contain("within the boot limit"));
        Assert.That(qemu.Running, Is.Zero);
    }

    [Test, CancelAfter(20_000)]
    public async Task Stops_qemu_when_cancelled_during_boot(CancellationToken cancellationToken)
    {
        var qemu = new FakeQemuRunner(["[    0.000000] Linux version 6.12.117"], exitCodeAfterConsole: null);
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        interrupt.CancelAfter(300);

        await Assert.CatchAsync<OperationCanceledException>(() => QemuVm.StartAsync(Request(), qemu, interrupt.Token, NeverConnects));

        Assert.That(qemu.Running, Is.Zero);
    }

    [Test, CancelAfter(20_000)]
    public async Task Records_the_boot_phases_and_powers_off_over_ssh_at_teardown(CancellationToken cancellationToken)
    {
        var qemu = new FakeQemuRunner([
            "[    0.000000] Linux version 6.12.117 (gcc)",
            "[    1.250000] Run /init as init process",
            "harness-guest: HARNESS-GUEST-READY ssh on :22",
        ], exitCodeAfterConsole: null);
        var session = new RecordingSession();

        var vm = await QemuVm.StartAsync(Request(), qemu, cancellationToken, (_, _, _) => Task.FromResult<IGuestSession>(session));
        var phases = vm.Phases;
        var temp = Path.GetDirectoryName(vm.KnownHostsFile)!;
        await vm.DisposeAsync();

        Assert.That(phases.Accelerator, Is.EqualTo("tcg"));
        Assert.That(phases.KernelTimeAtInit, Is.EqualTo(TimeSpan.FromSeconds(1.25)));
        Assert.That(new[] { phases.KernelStarted, phases.InitStarted, phases.GuestReady, phases.SshReady }, Has.All.Not.Null);
        Assert.That(session.Commands, Is.EqualTo(new[] { QemuVm.PowerOffCommand }));
        Assert.That(session.Disposed, Is.True);
        Assert.That(qemu.Running, Is.Zero);
        Assert.That(Directory.Exists(temp), Is.False, "the VM's temp directory is removed");
    }

    [Test, CancelAfter(20_000)]
    public async Task Retries_with_another_port_when_qemu_cannot_forward_the_first(CancellationToken cancellationToken)
    {
        var qemu = new FakeQemuRunner(["harness-guest: HARNESS-GUEST-READY"], exitCodeAfterConsole: null)
        {
            FirstBootFailsWith = "qemu-system-x86_64: -netdev user,id=net0,hostfwd=tcp:127.0.0.1:40000-:22: Could not set up host forwarding rule 'tcp:127.0.0.1:40000-:22'",
        };

        await using var vm = await QemuVm.StartAsync(Request(), qemu, cancellationToken, (_, _, _) => Task.FromResult<IGuestSession>(new RecordingSession()));

        var boots = qemu.Started.Where(s => !s.Arguments.Contains("kvm")).ToArray();
        Assert.That(boots, Has.Length.EqualTo(2));
        Assert.That(boots[1].CommandLine, Does.Contain($"hostfwd=tcp:127.0.0.1:{vm.SshPort}-:22"));
    }

    private static Task<IGuestSession> NeverConnects(GuestEndpoint endpoint, DateTimeOffset deadline, CancellationToken cancellationToken) =>
        throw new AssertionException("SSH must not be tried before the guest is ready");

    private sealed class RecordingSession : IGuestSession
    {
        public List<string> Commands { get; } = [];
        public bool Disposed { get; private set; }

        public Task<CommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Commands.Add(command);
            return Task.FromResult(new CommandResult(0, "", ""));
        }

        public Task UploadAsync(string localPath, string remotePath, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task DownloadAsync(string remotePath, string localPath, CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
