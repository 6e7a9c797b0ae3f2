using System.Collections.Concurrent;
using Harness.Build;
using Harness.Cli;
using Harness.Config;
using Harness.Patches;
using Harness.Pipeline;
using Harness.Processes;

namespace Harness.Tests.Support;

/// <summary>
/// The patched kernels of the default run config, made by the harness's own stages (tree, apply, configure,
/// build) in the real cache: a cache hit takes a second, a fresh machine builds them once for all tests.
/// </summary>
public static class BuiltKernels
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<KernelPipelineResult>>> ByArch = new();

    public static Task<KernelPipelineResult> PatchedAsync(string arch) =>
        ByArch.GetOrAdd(arch, a => new Lazy<Task<KernelPipelineResult>>(() => BuildAsync(a))).Value;

    /// <summary>The patched kernel for <paramref name="arch"/> (image, vmlinux), building it if the cache lacks it.</summary>
    public static KernelArtifacts Patched(string arch) =>
        PatchedAsync(arch).GetAwaiter().GetResult().Kernel(AppliedVariant.Patched, arch);

    /// <summary>The provisioned kernel tree (the cache's git repository of Debian's 6.12).</summary>
    public static string TreeDirectory(string arch = "x86_64") => PatchedAsync(arch).GetAwaiter().GetResult().Tree.Repository;

    private static async Task<KernelPipelineResult> BuildAsync(string arch)
    {
        var config = CommonOptions.Load(null, [arch]);
        var output = Path.Combine(Path.GetTempPath(), "harness-kernels-" + Guid.NewGuid().ToString("N")[..8]);
        var context = new StageContext(config with { OutputDirectory = output }, ProjectLayout.Locate(),
            new CacheLayout(config.CacheDirectory), new ProcessRunner(), Path.Combine(output, "run"), new ConsoleProgressSink());
        Directory.CreateDirectory(context.LogDirectory);
        try
        {
            return await KernelPipeline.RunAsync(context, [AppliedVariant.Patched], CancellationToken.None);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
