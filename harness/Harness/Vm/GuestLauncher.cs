using Harness.Config;
using Harness.Images;
using Harness.Pipeline;

namespace Harness.Vm;

/// <summary>
/// The Boot stage: builds (or reuses) the arch's guest image and boots a kernel in QEMU until SSH works.
/// The caller owns the returned VM and disposes it (which always tears the guest down).
/// </summary>
public sealed class GuestLauncher(StageContext context)
{
    private static int _started;

    public async Task<QemuVm> RunAsync(ArchConfig arch, string kernel, IReadOnlyList<ImageFile> extraFiles, CancellationToken cancellationToken)
    {
        context.Progress.Stage(arch.Name, "image", "guest initramfs from vm-images/ and Debian packages");
        var image = await ImageBuilder.For(context).RunAsync(new ImageRequest(arch, extraFiles), cancellationToken);
        context.Progress.Stage(arch.Name, "image", $"{image.Initramfs} ({new FileInfo(image.Initramfs).Length / 1024} KiB)");

        var request = new VmRequest(arch, kernel, image, TimeSpan.FromSeconds(context.Config.Timeouts.Boot))
        {
            // Numbered: two guests of one arch (a run's patched and baseline kernels, or two matrix cells) may start in the same second.
            ConsoleLog = context.LogFile($"{arch.Name}-{DateTime.Now:yyyyMMdd-HHmmss}-{Environment.ProcessId}-{Interlocked.Increment(ref _started)}-console"),
        };
        context.Progress.Stage(arch.Name, "boot", $"{Path.GetFileName(kernel)} in {arch.Qemu.Binary}");
        var vm = await QemuVm.StartAsync(request, context.Runner, cancellationToken);
        context.Progress.Stage(arch.Name, "boot", $"accelerator {vm.Accelerator.Accelerator} ({vm.Accelerator.Reason})");
        context.Progress.Stage(arch.Name, "boot", $"SSH ready: {vm.Phases}");
        context.Progress.Stage(arch.Name, "boot", $"console log {vm.ConsoleLog}");
        return vm;
    }
}
