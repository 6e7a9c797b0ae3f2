using Harness.Build;
using Harness.Config;
using Harness.Patches;
using Harness.Pipeline;
using Harness.Run;
using Harness.Selftests;
using Harness.Verdicts;

namespace Harness.Bench;

/// <summary>What the boot and load benchmarks need per arch: the patched kernel, the loader and the selftest objects.</summary>
public sealed record BenchArchInputs(ArchConfig Arch, KernelArtifacts Kernel, GuestTools Tools, CompiledSelftests Objects,
    IReadOnlyList<LoaderJob> LoaderPrograms);

/// <summary>
/// Prepares the inputs the way <see cref="Run.RunPipeline"/> does (cached after one `harness run`): every kernel
/// and its objects (so the timed warm run finds everything cached), and per arch the patched kernel, the loader,
/// its objects and the programs the run would load (<see cref="LoaderPrograms"/>), through the same <see cref="SelftestPreparation"/>.
/// </summary>
public static class BenchInputs
{
    public static async Task<IReadOnlyList<BenchArchInputs>> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        // Every variant, as `harness run` does, so that on a fresh clone the timed warm run below is warm too.
        var kernels = await KernelPipeline.RunAsync(context, variants: null, cancellationToken);
        var setup = await SelftestPreparation.SetupAsync(context, kernels.Tree, cancellationToken);
        var inputs = new List<BenchArchInputs>();
        foreach (var arch in context.Config.Arches)
        {
            var tools = await SelftestPreparation.LoaderAsync(context, setup, arch, cancellationToken);
            foreach (var other in kernels.Kernels.Where(k => k.Arch == arch.Name && k.Variant != AppliedVariant.Patched))
                await SelftestPreparation.ObjectsAsync(context, setup, arch, other, cancellationToken);
            var kernel = kernels.Kernel(AppliedVariant.Patched, arch.Name);
            var (objects, expectations, overlay) = await SelftestPreparation.ObjectsAsync(context, setup, arch, kernel, cancellationToken);
            var programs = LoaderPrograms.For(expectations, overlay, arch.Name, KernelRole.Patched);
            inputs.Add(new BenchArchInputs(arch, kernel, tools, objects, programs));
        }
        return inputs;
    }
}
