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

    /// <summary>The kernel to boot: the scratch build under the cache until the Build stage provides one.</summary>
    public static string Kernel(ArchConfig arch)
    {
        var kernel = GuestLauncher.DefaultKernel(Cache, arch);
        if (!File.Exists(kernel)) Assert.Fail($"No {arch.Name} kernel at {kernel}: build it first (the EndToEnd tests boot real kernels).");
        return kernel;
    }

    public static Task<GuestImage> ImageAsync(ArchConfig arch, CancellationToken cancellationToken) =>
        new ImageBuilder(Runner, Cache, Checkout.Layout.VmImagesDirectory).RunAsync(new ImageRequest(arch, []), cancellationToken);
}
