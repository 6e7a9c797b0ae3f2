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
}
