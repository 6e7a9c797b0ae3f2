using System.Diagnostics;
using Harness.Errors;
using Harness.Processes;
using Harness.Ssh;

namespace Harness.Vm;

/// <summary>
/// A running guest: QEMU started through the process runner, its serial console watched live, an SSH session
/// once the guest is up. <see cref="StartAsync"/> returns only when SSH works, and fails at once (with the last
/// console lines) on a panic, an oops or QEMU exiting; the boot has a wall-clock limit. Disposing tears the
/// guest down whatever happened: poweroff over SSH, then SIGINT to QEMU, then kill; the temp directory goes too.
/// </summary>
public sealed partial class QemuVm : IAsyncDisposable
{
    /// <summary>Connects an SSH session; replaced by a fake in tests.</summary>
    public delegate Task<IGuestSession> Connector(GuestEndpoint endpoint, DateTimeOffset deadline, CancellationToken cancellationToken);

    private const int PortAttempts = 5;

    private readonly VmRequest _request;
    private readonly IProcessRunner _runner;
    private readonly ConsoleWatcher _watcher = new();
    private readonly Stopwatch _clock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _kill = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ConsoleEvent> _failure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DirectoryInfo _temp;
    private Task<ProcessResult>? _process;
    private IGuestSession? _session;
    private TimeSpan? _kernelStartEstimate, _initStarted, _guestReady, _kernelTimeAtInit;
    private DateTimeOffset _qemuStarted;
    private int _disposed;

    private QemuVm(VmRequest request, IProcessRunner runner, AcceleratorChoice accelerator, int port)
    {
        _request = request;
        _runner = runner;
        Accelerator = accelerator;
        SshPort = port;
        _temp = ChildProcesses.CreateTempDirectory("harness-vm-");
        ChildProcesses.RegisterTempDirectory(_temp.FullName);
        ConsoleLog = request.ConsoleLog ?? Path.Combine(_temp.FullName, "console.log");
        KnownHostsFile = Path.Combine(_temp.FullName, "known_hosts");
    }

    public AcceleratorChoice Accelerator { get; }
    public int SshPort { get; }
    public string ConsoleLog { get; }

    /// <summary>known_hosts for ssh(1) holding the pinned host key for this port (lives as long as the VM).</summary>
    public string KnownHostsFile { get; }

    /// <summary>The QEMU command line, for logs and reproduce lines.</summary>
    public string CommandLine { get; private set; } = "";

    /// <summary>The SSH session opened during boot; valid until the VM is disposed.</summary>
    public IGuestSession Session => _session ?? throw new InvalidOperationException("The guest has no SSH session (boot did not finish).");

    public GuestEndpoint Endpoint => new("127.0.0.1", SshPort, "root", _request.Image.ClientPrivateKeyFile, _request.Image.HostPublicKey);

    public BootPhases Phases { get; private set; } = null!;

    /// <summary>Panics, oopses, BUGs and WARNINGs seen on the console so far (boot and later).</summary>
    public IReadOnlyList<ConsoleEvent> KernelFailures => _watcher.Failures;

    public IReadOnlyList<string> ConsoleTail(int lines = 40) => _watcher.Tail(lines);

    /// <summary>QEMU is gone (the guest panicked after boot, or was torn down): SSH errors then mean a dead guest.</summary>
    public bool HasExited => _process?.IsCompleted ?? false;

    /// <summary>The command a person types to get a shell in this guest.</summary>
    public string SshCommandLine =>
        string.Join(' ', new[] { "ssh", "-i", _request.Image.ClientPrivateKeyFile, "-p", SshPort.ToString(),
            "-o", $"UserKnownHostsFile={KnownHostsFile}", "-o", "StrictHostKeyChecking=yes", "-o", "IdentitiesOnly=yes",
            "root@127.0.0.1" }.Select(ShellQuoting.Quote));

    /// <summary>Boots the guest and returns once SSH works; on any failure the guest is torn down before the error.</summary>
    public static async Task<QemuVm> StartAsync(VmRequest request, IProcessRunner runner, CancellationToken cancellationToken, Connector? connect = null)
    {
        if (!File.Exists(request.Kernel))
            throw new BadInputException($"Kernel image {request.Kernel} does not exist. Build the kernel first or pass --kernel PATH.");
        connect ??= async (endpoint, deadline, ct) => await GuestSession.ConnectAsync(endpoint, deadline, ct);

        var probeDir = ChildProcesses.CreateTempDirectory("harness-kvm-probe-");
        AcceleratorChoice accelerator;
        try
        {
            accelerator = await new KvmProbe(runner).RunAsync(request.Arch, request.Kernel, probeDir.FullName, cancellationToken);
        }
        finally
        {
            probeDir.Delete(recursive: true);
        }

        for (var attempt = 1; ; attempt++)
        {
            var vm = new QemuVm(request, runner, accelerator, FreePort.Pick());
            try
            {
                await vm.BootAsync(connect, cancellationToken);
                return vm;
            }
            catch (PortTakenException)
            {
                await vm.DisposeAsync();
                if (attempt == PortAttempts)
                    throw new InfrastructureException($"QEMU could not forward a 127.0.0.1 port to the guest in {PortAttempts} attempts ({FreePort.PortTakenMessage}).");
            }
            catch
            {
                await vm.DisposeAsync();
                throw;
            }
        }
    }

    private sealed class PortTakenException() : Exception(FreePort.PortTakenMessage);
}
