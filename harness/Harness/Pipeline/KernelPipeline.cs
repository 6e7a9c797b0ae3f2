using Harness.Build;
using Harness.Config;
using Harness.Kconfig;
using Harness.Patches;
using Harness.Tree;

namespace Harness.Pipeline;

/// <summary>What the kernel part of a run produced: the tree, the applied variants, and a kernel per variant and arch.</summary>
public sealed record KernelPipelineResult(KernelTree Tree, IReadOnlyList<AppliedVariant> Variants, IReadOnlyList<KernelArtifacts> Kernels)
{
    public KernelArtifacts Kernel(string variant, string arch) => Kernels.Single(k => k.Variant == variant && k.Arch == arch);
}

/// <summary>
/// Tree, then apply, then for each variant and arch: configure and build. Variants go in the outer loop
/// so the build worktree switches once per variant, and each arch's O= directory rebuilds only what the
/// variants differ in.
/// </summary>
public static class KernelPipeline
{
    /// <summary>Builds the named variants (patched, baseline) for every arch of the config; null builds every variant the config asks for.</summary>
    public static async Task<KernelPipelineResult> RunAsync(StageContext context, IReadOnlyCollection<string>? variants, CancellationToken cancellationToken)
    {
        var tree = await TreeStage.RunAsync(context, cancellationToken);
        var applied = await ApplyStage.RunAsync(context, tree, cancellationToken);
        var kernels = new List<KernelArtifacts>();
        foreach (var variant in applied.Where(v => variants is null || variants.Contains(v.Name)))
            foreach (var arch in context.Config.Arches)
            {
                var configuration = await ConfigureStage.RunAsync(context, tree, variant, arch, cancellationToken);
                kernels.Add(await BuildStage.RunAsync(context, tree, variant, arch, configuration, cancellationToken));
            }
        return new KernelPipelineResult(tree, applied, kernels);
    }

    /// <summary>Configures and builds one variant for one arch (a cache hit when its key exists); for callers that order the builds themselves.</summary>
    public static async Task<KernelArtifacts> BuildOneAsync(StageContext context, KernelTree tree, AppliedVariant variant, ArchConfig arch,
        CancellationToken cancellationToken)
    {
        var configuration = await ConfigureStage.RunAsync(context, tree, variant, arch, cancellationToken);
        return await BuildStage.RunAsync(context, tree, variant, arch, configuration, cancellationToken);
    }
}
