using Harness.Bisect;
using Harness.Cli;
using Harness.Errors;
using Harness.Tests.Support;
using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.EndToEnd;

/// <summary>
/// `harness bisect` on the real series (0001 prerequisite, 0002 seed, 0003 test kfuncs) on x86_64: every prefix
/// built incrementally in the shared O= directory, booted, and its programs loaded. Kernels come from the cache when warm.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class BisectEndToEndTests
{
    private const int Hour = 3_600_000;
    private const string TestKfuncs = "0003-bpf-add-test-kfuncs-for-__async-and-__s_async-callbacks.patch";
    private const string Seed = "0002-bpf-implement-__async-and-__s_async-kfunc-suffixes.patch";

    [Test, CancelAfter(Hour)]
    public async Task With_the_test_kfuncs_in_every_prefix_the_seed_is_named_for_every_verdict_flip(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();

        var exitCode = await Program.Main(["bisect", "--arch", "x86_64", "--base-with", TestKfuncs, "--output", output.Path]);

        var (result, markdown) = Read(output.Path);
        var arch = result.Arches.Single();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), markdown);
            Assert.That(arch.Prefixes.Select(p => p.Step), Is.EqualTo(new[] { "0001-bpf-add-kfunc_meta-parameter-to-push_callback_call.patch", Seed }));
            Assert.That(arch.Prefixes.All(p => p.Patches.Contains(TestKfuncs)), Is.True);
            Assert.That(arch.Prefixes.All(p => p.NotLoaded == 0), Is.True, markdown);
            Assert.That(arch.Changes, Is.Not.Empty, markdown);
            Assert.That(arch.Changes.All(c => (c.Kind is ChangeKind.VerdictFlip or ChangeKind.StartsOopsing) && c.ChangedAfter == Seed), Is.True, markdown);
            // The seed makes a program oops the kernel (the overlay pins it): a change of its own, named for the seed, not "did not load".
            Assert.That(arch.Changes.Where(c => c.Kind == ChangeKind.StartsOopsing).Select(c => c.Program), Is.EqualTo(new[] { "async_wq.bpf.o:wq_null_map_start" }), markdown);
            Assert.That(arch.Prefixes.Select(p => p.Oopsed), Is.EqualTo(new[] { 0, 1 }), markdown);
            // The seed rejects what the prerequisite alone accepted unchecked (an __async MEM read past its end, say).
            Assert.That(arch.Changes.Any(c => c.First == LoadVerdict.Accept && c.Final == LoadVerdict.Reject), Is.True, markdown);
            Assert.That(markdown, Does.Contain($"`{Seed}`"));
        });
    }

    [Test, CancelAfter(Hour)]
    public async Task Without_the_test_kfuncs_early_prefixes_do_not_load_and_are_not_reported_as_flips(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();

        var exitCode = await Program.Main(["bisect", "--output", output.Path]);

        var (result, markdown) = Read(output.Path);
        var arch = result.Arches.Single();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), markdown);
            Assert.That(arch.Arch, Is.EqualTo("x86_64"), "bisect defaults to x86_64 only");
            Assert.That(arch.Prefixes, Has.Count.EqualTo(3));
            Assert.That(arch.Prefixes[0].Accepted + arch.Prefixes[0].Rejected, Is.Zero, markdown);
            Assert.That(arch.Changes.All(c => c.Kind == ChangeKind.StartsLoading && c.ChangedAfter == TestKfuncs), Is.True, markdown);
            Assert.That(arch.Changes.All(c => c.FirstError?.Contains("not found in kernel or module BTFs") == true), Is.True, markdown);
            Assert.That(markdown, Does.Contain("did not load on the first prefix"));
        });
    }

    private static (BisectResult Result, string Markdown) Read(string output)
    {
        var run = Directory.GetDirectories(output).Single(d => d.EndsWith("-bisect", StringComparison.Ordinal));
        return (BisectReport.Read(File.ReadAllText(Path.Combine(run, BisectReport.JsonFile))),
            File.ReadAllText(Path.Combine(run, BisectReport.MarkdownFile)));
    }
}
