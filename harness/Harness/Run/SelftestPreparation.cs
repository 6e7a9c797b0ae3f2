using Harness.Build;
using Harness.Config;
using Harness.Pipeline;
using Harness.Selection;
using Harness.Selftests;
using Harness.Tree;
using Harness.Verdicts;

namespace Harness.Run;

/// <summary>What every kernel of a tree shares for testing: the libbpf headers, the selftest sources and include path, and the overlay.</summary>
/// <param name="Tree">The kernel tree the series applies to.</param>
/// <param name="Tools">The tree's tools/ at its base commit (<see cref="TreeStage.ToolsAsync"/>): libbpf and the loader are built from it.</param>
/// <param name="Headers">libbpf's installed headers.</param>
/// <param name="Sources">The selftest sources and their include path.</param>
/// <param name="Overlay">The expectation overlay.</param>
public sealed record SelftestSetup(KernelTree Tree, string Tools, LibbpfHeaders Headers, SelftestSources Sources, ExpectationOverlay Overlay)
{
    /// <summary>The tree suites of the run (configs/suites/), their files found in the tree's tools/; compiled beside <see cref="Sources"/>.</summary>
    public IReadOnlyList<SelftestSources> TreeSuites { get; init; } = [];
}

/// <summary>
/// One kernel's selftest objects (compiled against its vmlinux.h), the expectations their BTF tags declare (only the
/// programs the run's filter selects), and the overlay to judge them by (with a skip for every denied program).
/// </summary>
public sealed record KernelSelftests(CompiledSelftests Objects, IReadOnlyList<ProgramExpectation> Expectations, ExpectationOverlay Overlay);

/// <summary>
/// The host-side preparation before a kernel is booted, shared by `run` and `bisect`: the overlay and
/// headers once per tree, the loader once per arch, and the objects once per kernel.
/// </summary>
public static class SelftestPreparation
{
    public static async Task<SelftestSetup> SetupAsync(StageContext context, KernelTree tree, CancellationToken cancellationToken)
    {
        var config = context.Config;
        // Every arch the project knows, not just this run's: an overlay entry for arm64 is valid on an x86_64-only run.
        var arches = ArchRegistry.Load(context.Project.ArchDirectory).Names;
        var overlay = config.TreeSuites.Select(s => s.ExpectationsFile).Prepend(config.ExpectationsFile)
            .Where(file => file is not null && File.Exists(file))
            .Aggregate(ExpectationOverlay.Empty, (all, file) => all.Then(ExpectationOverlayReader.Read(file!, arches)));
        var tools = await TreeStage.ToolsAsync(context, tree, cancellationToken);
        var headers = await new LibbpfHeadersStage().RunAsync(context, tools, tree.Key, cancellationToken);
        // The tree's selftest directories come last on the include path, so a copy of its progs/verifier_*.c
        // finds bpf_misc.h and its neighbours.
        var treeSelftests = Path.Combine(tools, "tools", "testing", "selftests", "bpf");
        var sources = SelftestSources.Of(config.SelftestsDirectory, treeSelftests, Path.Combine(treeSelftests, "progs"));
        // The suite files are matched now, before any kernel builds: a pattern that matches nothing is bad input at once.
        var suites = config.TreeSuites.Select(s => SelftestSources.OfSuite(s, tools)).ToArray();
        return new SelftestSetup(tree, tools, headers, sources, overlay) { TreeSuites = suites };
    }

    public static Task<GuestTools> LoaderAsync(StageContext context, SelftestSetup setup, ArchConfig arch, CancellationToken cancellationToken) =>
        new LoaderBuildStage().RunAsync(context, arch, setup.Tools, setup.Tree.Key, setup.Headers, cancellationToken);

    public static async Task<KernelSelftests> ObjectsAsync(StageContext context, SelftestSetup setup, ArchConfig arch, KernelArtifacts kernel,
        CancellationToken cancellationToken)
    {
        var vmlinuxHeader = await new VmlinuxHeaderStage().RunAsync(context, arch, kernel.Vmlinux, cancellationToken);
        var objects = await new SelftestCompileStage().RunAsync(context, arch, setup.Sources, vmlinuxHeader, setup.Headers, cancellationToken);
        var expectations = BtfExpectationReader.ReadDirectory(objects.Directory).ToList();
        foreach (var suite in setup.TreeSuites)
        {
            var compiled = await new SelftestCompileStage().RunAsync(context, arch, suite, vmlinuxHeader, setup.Headers, cancellationToken);
            var taken = objects.Objects.Select(Path.GetFileName).Intersect(compiled.Objects.Select(Path.GetFileName)).FirstOrDefault();
            // The guest holds every object in one directory: two of the same name would overwrite each other.
            if (taken is not null)
                throw new Errors.BadInputException($"{taken} is in the series' selftests and in the tree suite '{suite.Suite}'. Rename the series' copy.");
            expectations.AddRange(compiled.Objects.SelectMany(BtfExpectationReader.Read).Select(e => e with { Suite = suite.Suite, MapValues = SuiteMapValue.LoaderText(suite.MapValues, e.Object) }));
            objects = objects with
            {
                Objects = [.. objects.Objects, .. compiled.Objects],
                FileErrors = [.. objects.FileErrors, .. compiled.FileErrors],
            };
        }
        setup.Overlay.EnsureEveryKeyNamesAProgram(expectations);
        var filtered = context.Config.Filter.Apply(expectations);
        Report(context, context.Config.Filter, filtered, expectations);
        return new KernelSelftests(objects, filtered.Rows, filtered.Overlay(setup.Overlay));
    }

    /// <summary>
    /// Says once per run what the filter did: a warning for each pattern that names no program, and bad input when
    /// nothing is left to run (test_progs exits without running anything then; a run that boots for nothing helps no one).
    /// </summary>
    private static void Report(StageContext context, ProgramFilter filter, FilteredPrograms filtered, IReadOnlyList<ProgramExpectation> all)
    {
        if (filter.IsEmpty || !filter.FirstReport()) return;
        foreach (var pattern in filtered.Unmatched)
            context.Progress.Stage("-", "warning", $"{pattern.Written} matches no program of {context.Config.SelftestsDirectory}");
        var tests = filtered.Rows.Count(r => !r.Auxiliary);
        if (tests == 0)
            throw new Errors.BadInputException(
                $"the filter ({string.Join(", ", filter.Allow.Concat(filter.Deny).Select(p => p.Written))}) selects none of the {all.Count(r => !r.Auxiliary)} programs. " +
                $"Names are OBJECT (the file stem), PROGRAM or OBJECT/PROGRAM, e.g. {Example(all)}; -a and -d take globs ('*'), -t and -b substrings. " +
                "The arch is --arch, not -a.");
        context.Progress.Stage("-", "filter", $"{tests - filtered.Denied.Count} of {all.Count(r => !r.Auxiliary)} programs selected" +
            (filtered.Denied.Count > 0 ? $", {filtered.Denied.Count} denied (reported as skip)" : ""));
    }

    private static string Example(IReadOnlyList<ProgramExpectation> all) =>
        all.FirstOrDefault(r => !r.Auxiliary) is { } r ? $"{NamePattern.Stem(r.Object)}, {r.Program} or {NamePattern.Stem(r.Object)}/{r.Program}" : "async_mem/mem_read_in_bounds";
}
