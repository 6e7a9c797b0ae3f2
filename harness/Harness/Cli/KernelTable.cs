using Harness.Pipeline;
using Spectre.Console;

namespace Harness.Cli;

/// <summary>Prints the kernels a pipeline produced: variant, arch, image path, built or cached, time.</summary>
public static class KernelTable
{
    public static void Print(KernelPipelineResult result)
    {
        var table = new Table().AddColumns("variant", "arch", "image", "vmlinux", "build");
        foreach (var k in result.Kernels)
            table.AddRow(k.Variant, k.Arch, Markup.Escape(k.Image), Markup.Escape(k.Vmlinux),
                k.FromCache ? "cached" : $"built in {k.Duration.TotalSeconds:F0} s");
        AnsiConsole.Write(table);
        // Plain lines too, for scripts: "kernel VARIANT ARCH IMAGE".
        foreach (var k in result.Kernels) Console.WriteLine($"kernel {k.Variant} {k.Arch} {k.Image}");
    }
}
