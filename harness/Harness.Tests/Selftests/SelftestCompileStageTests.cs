using Harness.Errors;
using Harness.Processes;
using Harness.Selftests;
using NUnit.Framework;

namespace Harness.Tests.Selftests;

public class SelftestCompileStageTests
{
    private static readonly string MissingSemicolon = File.ReadAllText(
        Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "clang", "missing-semicolon.stderr"));

    private static (int, string, string) Clang(ProcessSpec spec)
    {
        if (spec.Arguments.Contains("--version")) return (0, "Debian clang version 19.1.7\n", "");
        File.WriteAllText(RecordingProcessRunner.ArgumentAfter(spec, "-o"), "ELF");
        return (0, "", "");
    }

    private static (SelftestsTestBed Bed, SelftestSources Sources, string Header, LibbpfHeaders Headers) Arrange()
    {
        var bed = new SelftestsTestBed();
        bed.Write("selftests/async_mem.c", "int x;\n");
        bed.Write("selftests/async_wq.c", "int y;\n");
        bed.Write("selftests/include/harness_test.h", "/* tags */\n");
        bed.Write("selftests/prebuilt.bpf.o", "ELF");
        var header = bed.Write("headers/vmlinux.h", "struct bpf_map;\n");
        bed.Write("libbpf/include/bpf/bpf_helper_defs.h", "/* helpers */\n");
        return (bed, SelftestSources.Of(bed.PathOf("selftests")), header, new LibbpfHeaders(bed.PathOf("libbpf/include")));
    }

    [Test, CancelAfter(10_000)]
    public async Task Compiles_each_source_into_a_bpf_object_and_copies_prebuilt_objects(CancellationToken token)
    {
        var (bed, sources, header, headers) = Arrange();
        using var _ = bed;
        var runner = new RecordingProcessRunner(Clang);

        var compiled = await new SelftestCompileStage().RunAsync(bed.Context(runner), SelftestsTestBed.Arm64, sources, header, headers, token);

        Assert.That(compiled.Objects.Select(Path.GetFileName), Is.EqualTo(new[] { "async_mem.bpf.o", "async_wq.bpf.o", "prebuilt.bpf.o" }));
        Assert.That(compiled.Objects.All(File.Exists), Is.True);
        var compile = runner.Commands.First(c => c.Arguments.Contains("-c"));
        Assert.That(compile.Program, Is.EqualTo("clang-19"));
        Assert.That(compile.Arguments, Does.Contain("-D__TARGET_ARCH_arm64").And.Contain("bpf").And.Contain(headers.IncludeDirectory));
    }

    [Test, CancelAfter(10_000)]
    public async Task Reuses_the_cached_objects_when_no_input_changed(CancellationToken token)
    {
        var (bed, sources, header, headers) = Arrange();
        using var _ = bed;
        var runner = new RecordingProcessRunner(Clang);
        var stage = new SelftestCompileStage();
        var first = await stage.RunAsync(bed.Context(runner), SelftestsTestBed.X86, sources, header, headers, token);
        runner.Commands.Clear();

        var second = await stage.RunAsync(bed.Context(runner), SelftestsTestBed.X86, sources, header, headers, token);

        Assert.That(second.Directory, Is.EqualTo(first.Directory));
        Assert.That(runner.Commands.Where(c => c.Arguments.Contains("-c")), Is.Empty);
    }

    [Test, CancelAfter(10_000)]
    public async Task Recompiles_when_the_kernel_header_changes(CancellationToken token)
    {
        var (bed, sources, header, headers) = Arrange();
        using var _ = bed;
        var runner = new RecordingProcessRunner(Clang);
        var stage = new SelftestCompileStage();
        var first = await stage.RunAsync(bed.Context(runner), SelftestsTestBed.X86, sources, header, headers, token);
        File.AppendAllText(header, "struct bpf_async_test_pair { unsigned long a, b; };\n");

        var second = await stage.RunAsync(bed.Context(runner), SelftestsTestBed.X86, sources, header, headers, token);

        Assert.That(second.Key, Is.Not.EqualTo(first.Key));
    }

    [Test, CancelAfter(10_000)]
    public async Task A_file_that_does_not_compile_is_a_file_error_with_clangs_first_error_and_the_others_still_compile(CancellationToken token)
    {
        var (bed, sources, header, headers) = Arrange();
        using var _ = bed;
        var runner = new RecordingProcessRunner(spec =>
            spec.Arguments.Contains("-c") && spec.Arguments.Any(a => a.EndsWith("async_mem.c"))
                ? (1, "", MissingSemicolon.Replace("broken.c", "async_mem.c"))
                : Clang(spec));

        var compiled = await new SelftestCompileStage().RunAsync(bed.Context(runner), SelftestsTestBed.X86, sources, header, headers, token);

        Assert.That(compiled.Objects.Select(Path.GetFileName), Is.EqualTo(new[] { "async_wq.bpf.o", "prebuilt.bpf.o" }));
        var error = compiled.FileErrors.Single();
        Assert.That(error.Object, Is.EqualTo("async_mem.bpf.o"));
        Assert.That(error.Program, Is.EqualTo(FileError.Compile));
        Assert.That(error.Reason, Does.StartWith("async_mem.c: does not compile for x86_64: async_mem.c:8:18: error: expected ';' at end of declaration"));
        Assert.That(error.Reason, Does.Contain("int x = skb->len"));
    }

    [Test, CancelAfter(10_000)]
    public async Task A_file_error_is_cached_with_the_objects(CancellationToken token)
    {
        var (bed, sources, header, headers) = Arrange();
        using var _ = bed;
        var runner = new RecordingProcessRunner(spec =>
            spec.Arguments.Contains("-c") && spec.Arguments.Any(a => a.EndsWith("async_mem.c"))
                ? (1, "", MissingSemicolon.Replace("broken.c", "async_mem.c"))
                : Clang(spec));
        var stage = new SelftestCompileStage();
        var first = await stage.RunAsync(bed.Context(runner), SelftestsTestBed.X86, sources, header, headers, token);
        runner.Commands.Clear();

        var second = await stage.RunAsync(bed.Context(runner), SelftestsTestBed.X86, sources, header, headers, token);

        Assert.That(runner.Commands.Where(c => c.Arguments.Contains("-c")), Is.Empty);
        Assert.That(second.FileErrors, Is.EqualTo(first.FileErrors));
    }

    [TestCase("", "no BPF C sources (*.c) or objects (*.bpf.o) in it")]
    [TestCase("missing", "selftests directory not found")]
    [CancelAfter(10_000)]
    public async Task Rejects_a_directory_without_selftests(string subdirectory, string expected, CancellationToken token)
    {
        using var bed = new SelftestsTestBed();
        Directory.CreateDirectory(bed.PathOf("empty"));
        var sources = SelftestSources.Of(bed.PathOf(subdirectory == "" ? "empty" : subdirectory));
        var runner = new RecordingProcessRunner(Clang);

        var error = await Assert.ThrowsAsync<BadInputException>(() => new SelftestCompileStage().RunAsync(
            bed.Context(runner), SelftestsTestBed.X86, sources, bed.PathOf("vmlinux.h"), new LibbpfHeaders(bed.PathOf("inc")), token));

        Assert.That(error!.Message, Does.Contain(expected));
    }
}
