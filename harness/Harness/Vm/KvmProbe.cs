using System.Collections.Concurrent;
using Harness.Config;
using Harness.Processes;

namespace Harness.Vm;

/// <summary>Which accelerator a boot uses, and why (the run reports it).</summary>
public sealed record AcceleratorChoice(string Accelerator, string Reason);

/// <summary>
/// Decides between KVM and TCG for an arch. /dev/kvm existing is not enough here (nested KVM: `-cpu host`
/// aborts or hangs), so KVM is used only when a short boot of the real kernel reaches "Linux version" on the
/// console. The answer is remembered for the rest of the process (one probe per QEMU binary per run).
/// </summary>
public sealed class KvmProbe(IProcessRunner runner)
{
    /// <summary>The probe boot's console log: also what tells the probe's QEMU from a guest's in the process table.</summary>
    public const string ConsoleLogName = "kvm-probe-console.log";

    public const string DeviceNode = "/dev/kvm";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(6);
    private static readonly ConcurrentDictionary<string, AcceleratorChoice> Remembered = new();

    public async Task<AcceleratorChoice> RunAsync(ArchConfig arch, string kernel, string scratchDirectory, CancellationToken cancellationToken)
    {
        if (!arch.Qemu.Accelerators.Contains("kvm"))
            return new AcceleratorChoice("tcg", $"{Path.GetFileName(arch.SourceFile)} does not list kvm");
        if (Remembered.TryGetValue(arch.Qemu.Binary, out var known)) return known;
        var choice = await ProbeAsync(arch, kernel, scratchDirectory, cancellationToken);
        return Remembered.GetOrAdd(arch.Qemu.Binary, choice);
    }

    private async Task<AcceleratorChoice> ProbeAsync(ArchConfig arch, string kernel, string scratchDirectory, CancellationToken cancellationToken)
    {
        if (!File.Exists(DeviceNode)) return new AcceleratorChoice("tcg", $"{DeviceNode} does not exist");
        try
        {
            using var _ = File.Open(DeviceNode, FileMode.Open, FileAccess.ReadWrite);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return new AcceleratorChoice("tcg", $"{DeviceNode} is not usable: {e.Message}");
        }

        var started = false;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(ProbeTimeout);
        var launch = new QemuLaunch(kernel, null, "kvm", null, Path.Combine(scratchDirectory, ConsoleLogName));
        var spec = QemuCommandLine.Build(arch.Qemu, launch) with
        {
            OnOutputLine = line =>
            {
                if (!line.Contains("Linux version ", StringComparison.Ordinal)) return;
                started = true;
                stop.Cancel();
            },
        };
        try
        {
            var result = await runner.RunAsync(spec, stop.Token);
            return started
                ? new AcceleratorChoice("kvm", "a probe boot with KVM started the kernel")
                : new AcceleratorChoice("tcg", $"a probe boot with KVM failed (exit {result.ExitCode}: {result.OutputTail.LastOrDefault() ?? "no output"})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return started
                ? new AcceleratorChoice("kvm", "a probe boot with KVM started the kernel")
                : new AcceleratorChoice("tcg", $"a probe boot with KVM printed nothing in {ProbeTimeout.TotalSeconds:F0} s");
        }
    }
}
