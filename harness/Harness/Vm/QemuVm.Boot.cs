using System.Text;
using Harness.Errors;
using Harness.Processes;
using Harness.Ssh;

namespace Harness.Vm;

public sealed partial class QemuVm
{
    /// <summary>How long a failing boot may keep printing (the rest of a panic trace) before the error is raised.</summary>
    private static readonly TimeSpan TraceGrace = TimeSpan.FromSeconds(2);

    private async Task BootAsync(Connector connect, CancellationToken cancellationToken)
    {
        var launch = new QemuLaunch(_request.Kernel, _request.Image.Initramfs, Accelerator.Accelerator, SshPort, ConsoleLog)
        {
            ExtraKernelArguments = _request.ExtraKernelArguments,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(ConsoleLog))!);
        var spec = QemuCommandLine.Build(_request.Arch.Qemu, launch) with
        {
            OnOutputLine = OnConsoleLine,
            CaptureStandardOutput = false,
        };
        CommandLine = spec.CommandLine;
        _qemuStarted = DateTimeOffset.UtcNow;
        _clock.Start();
        _process = Task.Run(() => _runner.RunAsync(spec, _kill.Token, _stop.Token), CancellationToken.None);
        var deadline = _qemuStarted + _request.BootTimeout;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_request.BootTimeout);
        await WaitAsync(_ready.Task, "the guest's ready marker", timeout.Token, cancellationToken);

        var connecting = connect(Endpoint, deadline, timeout.Token);
        try
        {
            await WaitAsync(connecting, "SSH", timeout.Token, cancellationToken);
        }
        catch
        {
            // Stop the connect loop; a session that connected anyway must still be closed.
            timeout.Cancel();
            _ = connecting.ContinueWith(t => t.Result.DisposeAsync().AsTask(), TaskContinuationOptions.OnlyOnRanToCompletion);
            throw;
        }
        _session = await connecting;
        var sshReady = _clock.Elapsed;
        await File.WriteAllTextAsync(KnownHostsFile, new HostKeyPin(_request.Image.HostPublicKey).KnownHostsLine("127.0.0.1", SshPort) + "\n", cancellationToken);
        Phases = CurrentPhases(sshReady);
    }

    /// <summary>Waits for <paramref name="step"/>, failing at once on a kernel failure, QEMU exit, the boot limit or Ctrl-C.</summary>
    private async Task WaitAsync(Task step, string what, CancellationToken bootLimit, CancellationToken cancellationToken)
    {
        var limit = Task.Delay(Timeout.Infinite, bootLimit);
        var first = await Task.WhenAny(step, _failure.Task, _process!, limit);
        if (first == step)
        {
            if (step.IsFaulted && !_failure.Task.IsCompleted && !_process!.IsCompleted) await step;
            if (step.IsCompletedSuccessfully) return;
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (_failure.Task.IsCompleted) throw await FailureAsync($"the kernel failed while waiting for {what}: {_failure.Task.Result.Line}");
        if (_process!.IsCompleted)
        {
            var result = await _process;
            if (result.OutputTail.Any(l => l.Contains(FreePort.PortTakenMessage, StringComparison.Ordinal))) throw new PortTakenException();
            throw await FailureAsync($"QEMU exited with code {result.ExitCode} while waiting for {what}");
        }
        if (step.IsFaulted) await step;
        throw await FailureAsync($"no {what} within the boot limit of {_request.BootTimeout.TotalSeconds:F0} s (RunConfig timeouts.boot)");
    }

    private async Task<InfrastructureException> FailureAsync(string what)
    {
        // Let QEMU finish printing the trace (panic=-1 + -no-reboot end it within moments).
        await Task.WhenAny(_process!, Task.Delay(TraceGrace));
        var text = new StringBuilder();
        text.AppendLine($"{_request.Arch.Name} guest did not boot: {what}.");
        text.AppendLine($"> {CommandLine}");
        text.AppendLine($"Phases: {CurrentPhases(null)}");
        text.AppendLine("Last console lines:");
        foreach (var line in _watcher.Tail(40)) text.AppendLine("   " + line);
        text.Append($"console log: {ConsoleLog}{(_request.ConsoleLog is null ? " (removed with the VM; set a console log path to keep it)" : "")}");
        return new InfrastructureException(text.ToString());
    }

    private void OnConsoleLine(string line)
    {
        _request.OnConsoleLine?.Invoke(line);
        var now = _clock.Elapsed;
        // The kernel prints "Linux version" at its time 0 but the console shows it only once the UART driver is up;
        // the earliest (arrival - printk timestamp) over all lines is when the kernel really started.
        if (ConsoleWatcher.KernelTimestamp(line) is { } stamp && now - stamp is var start && (_kernelStartEstimate is null || start < _kernelStartEstimate))
            _kernelStartEstimate = start;
        if (_watcher.Feed(line) is not { } e) return;
        switch (e.Signal)
        {
            case ConsoleSignal.InitStarted:
                _initStarted ??= now;
                _kernelTimeAtInit ??= e.KernelTime;
                break;
            case ConsoleSignal.GuestReady:
                _guestReady ??= now;
                _ready.TrySetResult();
                break;
            case ConsoleSignal.KernelFailure:
                // After boot a splat is recorded (KernelFailures), not fatal: the run stage decides.
                if (!_ready.Task.IsCompleted) _failure.TrySetResult(e);
                break;
        }
    }

    private BootPhases CurrentPhases(TimeSpan? sshReady) =>
        new(Accelerator.Accelerator, _qemuStarted, _kernelStartEstimate, _initStarted, _guestReady, sshReady, _kernelTimeAtInit);
}
