using System.Security.Cryptography;
using Harness.Config;
using Harness.Errors;
using Harness.Patches;
using Harness.Patches.Inputs;
using Harness.Pipeline;
using Harness.Tests.Patches.Import;
using Harness.Tests.Support;

namespace Harness.Tests.Patches.Inputs;

/// <summary>
/// The stage that turns --series FILE into a series directory under the run's directory: an mbox split as is, a web
/// archive copy imported against a real (small) git tree that TreeStage provisions as it would the user's checkout.
/// </summary>
public class SeriesInputStageTests
{
    private const string Seed = "0002-bpf-implement-__async-and-__s_async-kfunc-suffixes.patch";
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private StageContext Context(string series, TreeSource? tree = null, IReadOnlyList<string>? baselineWithout = null)
    {
        var config = TestContexts.Config(_temp, TestContexts.FakeArch(), series: series, baselineWithout: baselineWithout);
        var context = TestContexts.Create(tree is null ? config : config with { Tree = tree });
        Directory.CreateDirectory(context.LogDirectory);
        return context;
    }

    [Test, CancelAfter(30_000)]
    public async Task Splits_an_mbox_into_a_series_directory_under_the_run_and_leaves_the_users_file_alone(CancellationToken cancellationToken)
    {
        var mbox = _temp.Write("input/async-kfunc-suffixes.mbox", SeriesFixtures.ShippedSeriesAsMbox());
        var before = SHA256.HashData(File.ReadAllBytes(mbox));
        var context = Context(mbox);

        var prepared = await SeriesInputStage.RunAsync(context, cancellationToken);

        var series = SeriesReader.Read(prepared.Config.SeriesDirectory);
        var shipped = SeriesReader.Read(SeriesFixtures.ShippedSeriesDirectory);
        Assert.Multiple(() =>
        {
            Assert.That(prepared.Config.SeriesDirectory, Is.EqualTo(Path.Combine(context.RunDirectory, "series", "async-kfunc-suffixes")));
            Assert.That(series.Patches.Select(p => p.Name), Is.EqualTo(shipped.Patches.Select(p => p.Name)));
            Assert.That(series.Patches.Select(p => File.ReadAllText(p.Path)), Is.EqualTo(shipped.Patches.Select(p => File.ReadAllText(p.Path))));
            Assert.That(prepared.Config.SeriesInput!.Kind, Is.EqualTo(SeriesInputKind.Mbox));
            Assert.That(prepared.Config.SeriesInput.Sha256, Is.EqualTo(Convert.ToHexStringLower(before)));
            Assert.That(SHA256.HashData(File.ReadAllBytes(mbox)), Is.EqualTo(before), "the user's mbox is only read");
            Assert.That(Directory.GetFileSystemEntries(_temp.Combine("input")), Is.EqualTo(new[] { mbox }), "nothing is written beside it");
        });
    }

    [Test, CancelAfter(30_000)]
    public async Task A_series_directory_is_used_where_it_is(CancellationToken cancellationToken)
    {
        var context = Context(SeriesFixtures.ShippedSeriesDirectory);

        var prepared = await SeriesInputStage.RunAsync(context, cancellationToken);

        Assert.That(prepared, Is.SameAs(context));
    }

    [Test, CancelAfter(30_000)]
    public async Task Baseline_without_follows_the_patch_when_the_input_numbers_it_differently(CancellationToken cancellationToken)
    {
        var onlySeed = File.ReadAllText(Path.Combine(SeriesFixtures.ShippedSeriesDirectory, Seed)).Replace("[PATCH 2/3]", "[PATCH 1/1]");
        var context = Context(_temp.Write("seed.mbox", onlySeed), baselineWithout: [Seed]);

        var prepared = await SeriesInputStage.RunAsync(context, cancellationToken);

        var renamed = "0001-bpf-implement-__async-and-__s_async-kfunc-suffixes.patch";
        Assert.That(prepared.Config.BaselineWithout, Is.EqualTo(new[] { renamed }));
        Assert.That(prepared.Config.SeriesInput!.Notes, Has.Some.Contains($"baseline leaves out {renamed}"));
    }

    [Test, CancelAfter(60_000)]
    public async Task Imports_a_web_archive_copy_against_the_tree_at_the_base_commit(CancellationToken cancellationToken)
    {
        var tree = await TreeRepositoryAsync(File.ReadAllText(Path.Combine(ImportFixtures.Tree, "kernel", "bpf", "verifier.c")), cancellationToken);
        var context = Context(SeriesFixtures.ArchiveCopyPath, new TreeSource.GitCheckout(tree.Path, "HEAD"));

        var prepared = await SeriesInputStage.RunAsync(context, cancellationToken);

        var input = prepared.Config.SeriesInput!;
        var patch = SeriesReader.Read(prepared.Config.SeriesDirectory).Patches.Single();
        Assert.Multiple(() =>
        {
            Assert.That(input.Kind, Is.EqualTo(SeriesInputKind.ArchiveCopy));
            Assert.That(patch.Name, Is.EqualTo("0001-bpf-implement-__async-and-__s_async-kfunc-suffixes.patch"));
            Assert.That(File.ReadAllText(patch.Path), Is.EqualTo(ImportFixtures.Read("bpf-async-kfunc-suffixes.expected.patch")));
            Assert.That(input.Patches.Single().Imported.Select(h => h.PlacedAtLine), Is.EqualTo(new[] { 340, 10112, 10123, 11501, 11656, 12774, 12871, 12941, 17037 }));
            Assert.That(input.Patches.Single().Number, Is.EqualTo(3));
            Assert.That(input.Notes, Has.Some.Contains("patches 1/8, 2/8, 4/8, 5/8, 6/8, 7/8, 8/8 of the thread are not in the input"));
            Assert.That(Directory.GetDirectories(Path.Combine(context.RunDirectory, "series")), Has.Length.EqualTo(1), "the exported tree files are gone");
        });
    }

    [Test, CancelAfter(60_000)]
    public async Task A_hunk_the_tree_does_not_have_is_bad_input_naming_the_file_the_patch_the_hunk_and_the_fix(CancellationToken cancellationToken)
    {
        // 6.12's verifier.c cut short: the later hunks of the RFC have nowhere to go.
        var verifier = File.ReadAllLines(Path.Combine(ImportFixtures.Tree, "kernel", "bpf", "verifier.c"));
        var tree = await TreeRepositoryAsync(string.Join("\n", verifier.Take(11000)) + "\n", cancellationToken);
        var context = Context(SeriesFixtures.ArchiveCopyPath, new TreeSource.GitCheckout(tree.Path, "HEAD"));

        var error = await Assert.ThrowsAsync<BadInputException>(() => SeriesInputStage.RunAsync(context, cancellationToken));

        Assert.That(error!.Message, Does.StartWith($"{SeriesFixtures.ArchiveCopyPath}: kernel/bpf/verifier.c: hunk 4 (@@ -10890,6 +10902,16 @@ static bool is_kfunc_arg_const_str(const struct btf *btf, const struct btf_param) does not match the tree. Closest location:"));
        Assert.That(error.Message, Does.Contain("Rebase the patch onto this tree, or pass the --tree it was written for."));
        Assert.That(error.Message, Does.EndWith("In patch mail 1 of 1: '[PATCH RFC bpf-next 3/8] bpf: implement __async and __s_async kfunc suffixes'."));
    }

    [Test, CancelAfter(60_000)]
    public async Task A_split_patch_that_does_not_apply_is_bad_input_naming_the_users_mbox_the_mail_the_hunk_and_the_fix(CancellationToken cancellationToken)
    {
        var repo = await GitRepo.InitAsync(_temp.Combine("tree"), cancellationToken);
        repo.Write("kernel/a.c", GitRepo.Lines(1, 50));
        await repo.CommitAllAsync("base", cancellationToken);
        repo.Write("kernel/a.c", GitRepo.Lines(1, 50).Replace("line 20\n", "line twenty\n"));
        await repo.FormatPatchAsync(await repo.CommitAllAsync("change line 20", cancellationToken), _temp.Combine("p1.patch"), cancellationToken);
        var mbox = _temp.Write("review.mbox", File.ReadAllText(_temp.Combine("p1.patch")));
        // The tree the series is applied to has other lines around line 20.
        repo.Write("kernel/a.c", GitRepo.Lines(1, 50).Replace("line 19\n", "line nineteen\n").Replace("line 21\n", "line twenty-one\n"));
        var tree = new Harness.Tree.KernelTree("tiny", repo.Path, await repo.CommitAllAsync("the tree moved on", cancellationToken), "test tree");
        var prepared = await SeriesInputStage.RunAsync(Context(mbox), cancellationToken);

        var error = await Assert.ThrowsAsync<BadInputException>(() => ApplyStage.ApplyAsync(prepared, tree, AppliedVariant.Patched,
            SeriesReader.Read(prepared.Config.SeriesDirectory), cancellationToken));

        Assert.That(error!.Message, Does.Contain($"split from {mbox}, message 1 at line 1 ('[PATCH] change line 20')"));
        Assert.That(error.Message, Does.Contain("patch 0001-change-line-20.patch does not apply: kernel/a.c, hunk @@ -17,7 +17,7 @@"));
        Assert.That(error.Message, Does.EndWith("Fix: rebase the patch onto this tree (or recover it with 'harness patch import'), then run again."));
    }

    /// <summary>A git repository that TreeStage accepts as a kernel checkout: a Makefile and the given kernel/bpf/verifier.c.</summary>
    private async Task<GitRepo> TreeRepositoryAsync(string verifier, CancellationToken cancellationToken)
    {
        var repo = await GitRepo.InitAsync(_temp.Combine("linux"), cancellationToken);
        repo.Write("Makefile", "# not a real kernel Makefile\n");
        repo.Write("kernel/bpf/verifier.c", verifier);
        await repo.CommitAllAsync("base", cancellationToken);
        return repo;
    }
}
