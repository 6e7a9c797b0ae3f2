using Harness.Config;
using Harness.Images;
using Harness.Processes;
using Harness.Vm;

namespace Harness.Tests.Support;

/// <summary>Real kernels, images and QEMU for the EndToEnd tests.</summary>
public static class RealGuests
{
    public static CacheLayout Cache { get; } =
        new(RunConfigReader.ResolvePath(Checkout.Layout.Root, "~/.cache/harness"));

    public static IProcessRunner Runner { get; } = new ProcessRunner();

    /// <summary>The kernel to boot: the patched kernel the harness builds (a cache hit after the first time).</summary>
    public static string Kernel(ArchConfig arch) => BuiltKernels.Patched(arch.Name).Image;

    public static Task<GuestImage> ImageAsync(ArchConfig arch, CancellationToken cancellationToken) =>
        new ImageBuilder(Runner, Cache, Checkout.Layout.VmImagesDirectory).RunAsync(new ImageRequest(arch, []), cancellationToken);
}
