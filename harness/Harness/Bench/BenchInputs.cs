using Harness.Build;
using Harness.Config;
using Harness.Patches;
using Harness.Pipeline;
using Harness.Selftests;
using Harness.Verdicts;

namespace Harness.Bench;

/// <summary>What the boot and load benchmarks need per arch: the patched kernel, the loader and the selftest objects.</summary>
public sealed record BenchArchInputs(ArchConfig Arch, KernelArtifacts Kernel, GuestTools Tools, CompiledSelftests Objects,
    IReadOnlyList<string> LoaderPrograms);

/// <summary>
/// Prepares the inputs the way <see cref="Run.RunPipeline"/> does (cached after one `harness run`): every kernel
/// and its objects (so the timed warm run finds everything cached), and per arch the patched kernel, the loader,
/// its objects and the programs the run would load (not auxiliary, not skipped).
/// </summary>
public static class BenchInputs
{
    public const string GuestObjectDirectory = "/tmp/selftests";

    public static async Task<IReadOnlyList<BenchArchInputs>> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var config = context.Config;
        var overlay = config.ExpectationsFile is { } file && File.Exists(file)
            ? ExpectationOverlayReader.Read(file, ArchRegistry.Load(context.Project.ArchDirectory).Names)
            : ExpectationOverlay.Empty;
        // Every variant, as `harness run` does, so that on a fresh clone the timed warm run below is warm too.
        var kernels = await KernelPipeline.RunAsync(context, variants: null, cancellationToken);
        var tree = kernels.Tree.Repository;
        var headers = await new LibbpfHeadersStage().RunAsync(context, tree, kernels.Tree.Key, cancellationToken);
        var treeSelftests = Path.Combine(tree, "tools", "testing", "selftests", "bpf");
        var sources = SelftestSources.Of(config.SelftestsDirectory, treeSelftests, Path.Combine(treeSelftests, "progs"));
        var inputs = new List<BenchArchInputs>();
        foreach (var arch in config.Arches)
        {
            var tools = await new LoaderBuildStage().RunAsync(context, arch, tree, kernels.Tree.Key, headers, cancellationToken);
            foreach (var other in kernels.Kernels.Where(k => k.Arch == arch.Name && k.Variant != AppliedVariant.Patched))
            {
                var otherHeader = await new VmlinuxHeaderStage().RunAsync(context, arch, other.Vmlinux, cancellationToken);
                await new SelftestCompileStage().RunAsync(context, arch, sources, otherHeader, headers, cancellationToken);
            }
            var kernel = kernels.Kernel(AppliedVariant.Patched, arch.Name);
            var header = await new VmlinuxHeaderStage().RunAsync(context, arch, kernel.Vmlinux, cancellationToken);
            var objects = await new SelftestCompileStage().RunAsync(context, arch, sources, header, headers, cancellationToken);
            var programs = BtfExpectationReader.ReadDirectory(objects.Directory)
                .Where(e => !e.Auxiliary)
                .Where(e => overlay.Find(e.Object, e.Program, arch.Name, KernelRole.Patched)?.Action is not SkipProgram)
                .Select(e => $"{GuestObjectDirectory}/{e.Object}:{e.Program}")
                .ToArray();
            inputs.Add(new BenchArchInputs(arch, kernel, tools, objects, programs));
        }
        return inputs;
    }
}
