using Harness.Errors;
using Harness.Processes;
using Harness.Selftests;
using NUnit.Framework;

namespace Harness.Tests.Selftests;

public class LoaderBuildStageTests
{
    private static (int, string, string) Builds(ProcessSpec spec)
    {
        if (spec.Program == "make")
        {
            var output = spec.Arguments.First(a => a.StartsWith("OUTPUT=", StringComparison.Ordinal))["OUTPUT=".Length..];
            Directory.CreateDirectory(Path.Combine(output, "staticobjs"));
            File.WriteAllText(Path.Combine(output, "libbpf.a"), "!<arch>");
        }
        else
        {
            File.WriteAllText(RecordingProcessRunner.ArgumentAfter(spec, "-o"), "ELF");
        }
        return (0, "", "");
    }

    private static SelftestsTestBed Arrange()
    {
        var bed = new SelftestsTestBed();
        bed.Write("project/" + LoaderBuildStage.LoaderSourceRelativePath, "int main(void) { return 0; }\n");
        bed.Write("tree/tools/lib/bpf/Makefile", "");
        return bed;
    }

    [Test, CancelAfter(10_000)]
    public async Task Cross_builds_libbpf_and_links_the_loader_statically_for_arm64(CancellationToken token)
    {
        using var bed = Arrange();
        var runner = new RecordingProcessRunner(Builds);

        var tools = await new LoaderBuildStage().RunAsync(bed.Context(runner), SelftestsTestBed.Arm64, bed.PathOf("tree"), "tree1",
            new LibbpfHeaders(bed.PathOf("headers")), token);

        var make = runner.Commands[0];
        Assert.That(make.Arguments, Does.Contain("CROSS_COMPILE=aarch64-linux-gnu-").And.Contain("CC=aarch64-linux-gnu-gcc")
            .And.Contain("BUILD_STATIC_ONLY=1"));
        Assert.That(make.Arguments.Single(a => a.StartsWith("OUTPUT=")), Does.Not.Contain(bed.PathOf("tree")), "never builds inside the tree");
        var link = runner.Commands[1];
        Assert.That(link.Program, Is.EqualTo("aarch64-linux-gnu-gcc"));
        Assert.That(link.Arguments, Does.Contain("-static").And.Contain("/usr/lib/aarch64-linux-gnu").And.Contain("-lzstd"));
        Assert.That(tools.Arch, Is.EqualTo("arm64"));
        Assert.That(File.Exists(tools.LoaderPath), Is.True);
        Assert.That(tools.LoaderPath, Does.StartWith(bed.PathOf("cache/tools/tree1/arm64")));
    }

    [Test, CancelAfter(10_000)]
    public async Task Builds_natively_for_x86_64_and_reuses_the_cached_loader(CancellationToken token)
    {
        using var bed = Arrange();
        var runner = new RecordingProcessRunner(Builds);
        var stage = new LoaderBuildStage();
        var first = await stage.RunAsync(bed.Context(runner), SelftestsTestBed.X86, bed.PathOf("tree"), "tree1", new LibbpfHeaders(bed.PathOf("h")), token);
        Assert.That(runner.Commands[1].Program, Is.EqualTo("gcc"));
        runner.Commands.Clear();

        var second = await stage.RunAsync(bed.Context(runner), SelftestsTestBed.X86, bed.PathOf("tree"), "tree1", new LibbpfHeaders(bed.PathOf("h")), token);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(runner.Commands, Is.Empty);
    }

    [Test, CancelAfter(10_000)]
    public async Task Says_which_static_libraries_to_install_when_the_link_fails(CancellationToken token)
    {
        using var bed = Arrange();
        var runner = new RecordingProcessRunner(spec => spec.Program == "make"
            ? Builds(spec)
            : (1, "", "/usr/bin/aarch64-linux-gnu-ld: cannot find -lzstd: No such file or directory\n"));

        var error = await Assert.ThrowsAsync<ProcessFailedException>(() => new LoaderBuildStage().RunAsync(
            bed.Context(runner), SelftestsTestBed.Arm64, bed.PathOf("tree"), "tree1", new LibbpfHeaders(bed.PathOf("h")), token));

        Assert.That(error!.Message, Does.Contain("libzstd-dev:arm64").And.Contain("cannot find -lzstd"));
        Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.InfrastructureError));
    }

    [Test, CancelAfter(10_000)]
    public async Task Builds_the_trees_own_disassembler_into_the_loader_when_the_tree_has_it(CancellationToken token)
    {
        using var bed = Arrange();
        bed.Write("project/vm-images/loader/load.c", "int load;\n");
        foreach (var source in LoaderBuildStage.DisassemblerSources) bed.Write("tree/" + source, "/* disassembler */\n");
        var runner = new RecordingProcessRunner(Builds);

        await new LoaderBuildStage().RunAsync(bed.Context(runner), SelftestsTestBed.Arm64, bed.PathOf("tree"), "tree1", new LibbpfHeaders(bed.PathOf("h")), token);

        var compiles = runner.Commands.Where(c => c.Arguments.Contains("-c")).ToArray();
        Assert.That(compiles.Select(c => c.Arguments.First(a => a.EndsWith(".c", StringComparison.Ordinal))),
            Is.EqualTo(LoaderBuildStage.DisassemblerSources.Select(s => bed.PathOf("tree/" + s))));
        Assert.That(compiles, Has.All.Property("Program").EqualTo("aarch64-linux-gnu-gcc"));
        Assert.That(compiles[0].Arguments, Does.Contain(bed.PathOf("tree/kernel/bpf")).And.Contain(bed.PathOf("tree/tools/include")));
        var link = runner.Commands.Last();
        Assert.That(link.Arguments, Does.Contain(bed.PathOf("project/vm-images/loader/load.c")).And.Contain(bed.PathOf("project/" + LoaderBuildStage.LoaderSourceRelativePath)));
        Assert.That(link.Arguments.Count(a => a.EndsWith("disasm.o", StringComparison.Ordinal) || a.EndsWith("disasm_helpers.o", StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That(link.Arguments, Does.Not.Contain("-DHARNESS_NO_DISASM"));
    }

    [Test, CancelAfter(10_000)]
    public async Task A_tree_without_the_disassembler_gives_a_loader_without_xlated_text(CancellationToken token)
    {
        using var bed = Arrange();
        var runner = new RecordingProcessRunner(Builds);

        await new LoaderBuildStage().RunAsync(bed.Context(runner), SelftestsTestBed.X86, bed.PathOf("tree"), "tree1", new LibbpfHeaders(bed.PathOf("h")), token);

        Assert.That(runner.Commands, Has.Count.EqualTo(2), "libbpf and the link");
        Assert.That(runner.Commands[1].Arguments, Does.Contain("-DHARNESS_NO_DISASM"));
    }

    [Test, CancelAfter(10_000)]
    public async Task Editing_any_loader_file_rebuilds_the_loader(CancellationToken token)
    {
        using var bed = Arrange();
        bed.Write("project/vm-images/loader/harness-loader.h", "/* v1 */\n");
        var runner = new RecordingProcessRunner(Builds);
        var stage = new LoaderBuildStage();
        var first = await stage.RunAsync(bed.Context(runner), SelftestsTestBed.X86, bed.PathOf("tree"), "tree1", new LibbpfHeaders(bed.PathOf("h")), token);

        bed.Write("project/vm-images/loader/harness-loader.h", "/* v2 */\n");
        var second = await stage.RunAsync(bed.Context(runner), SelftestsTestBed.X86, bed.PathOf("tree"), "tree1", new LibbpfHeaders(bed.PathOf("h")), token);

        Assert.That(second.LoaderPath, Is.Not.EqualTo(first.LoaderPath));
    }
}
