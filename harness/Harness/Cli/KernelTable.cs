using Harness.Pipeline;

namespace Harness.Cli;

/// <summary>
/// Prints the kernels a pipeline produced, one plain line each ("kernel VARIANT ARCH IMAGE (how)"):
/// paths are never wrapped, so scripts and people can copy them.
/// </summary>
public static class KernelTable
{
    public static void Print(KernelPipelineResult result)
    {
        foreach (var k in result.Kernels)
            Console.WriteLine($"kernel {k.Variant,-8} {k.Arch,-7} {k.Image}  ({(k.FromCache ? "cached" : $"built in {k.Duration.TotalSeconds:F0} s")}; vmlinux and .config beside it)");
    }
}
