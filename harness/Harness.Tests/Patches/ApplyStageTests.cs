using NUnit.Framework;
using Harness.Errors;
using Harness.Patches;
using Harness.Tests.Support;
using Harness.Tree;

namespace Harness.Tests.Patches;

/// <summary>
/// Applies format-patch files to a small real git repository: the patch changes line 20 of a 50-line
/// file; the tree it is applied to is varied to make it apply cleanly, with an offset, by 3-way merge, or not at all.
/// </summary>
public class ApplyStageTests
{
    private TempDirectory _temp = null!;
    private GitRepo _repo = null!;
    private string _base = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temp = new TempDirectory();
        _repo = await GitRepo.InitAsync(_temp.Combine("tree"), CancellationToken.None);
        _repo.Write("kernel/a.c", GitRepo.Lines(1, 50));
        _base = await _repo.CommitAllAsync("base", CancellationToken.None);
        _repo.Write("kernel/a.c", GitRepo.Lines(1, 50).Replace("line 20\n", "line twenty\n"));
        await _repo.FormatPatchAsync(await _repo.CommitAllAsync("change line 20", CancellationToken.None), _temp.Combine("series", "0001-change.patch"), CancellationToken.None);
        _repo.Write("kernel/b.c", "new file\n");
        await _repo.FormatPatchAsync(await _repo.CommitAllAsync("add b.c", CancellationToken.None), _temp.Combine("series", "0002-add.patch"), CancellationToken.None);
        _temp.Write("series/series", "0001-change.patch\n0002-add.patch\n");
        await _repo.RunAsync(CancellationToken.None, "checkout", "--quiet", "--detach", _base);
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private async Task<KernelTree> TreeWithAsync(string? content, CancellationToken cancellationToken)
    {
        if (content is null) return new KernelTree("tiny", _repo.Path, _base, "test tree");
        _repo.Write("kernel/a.c", content);
        return new KernelTree("tiny", _repo.Path, await _repo.CommitAllAsync("the tree moved on", cancellationToken), "test tree");
    }

    private async Task<AppliedVariant> ApplyAsync(KernelTree tree, CancellationToken cancellationToken)
    {
        var context = TestContexts.Create(TestContexts.Config(_temp, TestContexts.FakeArch(), series: _temp.Combine("series")));
        return await ApplyStage.ApplyAsync(context, tree, AppliedVariant.Patched, SeriesReader.Read(_temp.Combine("series")), cancellationToken);
    }

    [Test, CancelAfter(60_000)]
    public async Task Applies_a_clean_series_one_commit_per_patch(CancellationToken cancellationToken)
    {
        var variant = await ApplyAsync(await TreeWithAsync(null, cancellationToken), cancellationToken);

        Assert.That(variant.Patches.Select(p => p.Application), Is.EqualTo(new[] { PatchApplication.Clean, PatchApplication.Clean }));
        Assert.That(await _repo.RunAsync(cancellationToken, "rev-parse", variant.Patches[0].Commit + "^"), Is.EqualTo(_base));
        Assert.That(variant.Commit, Is.EqualTo(variant.Patches[1].Commit));
        Assert.That(await _repo.RunAsync(cancellationToken, "show", variant.Commit + ":kernel/b.c"), Is.EqualTo("new file"));
    }

    [Test, CancelAfter(60_000)]
    public async Task Reports_hunks_that_applied_at_an_offset(CancellationToken cancellationToken)
    {
        var tree = await TreeWithAsync("added 1\nadded 2\nadded 3\n" + GitRepo.Lines(1, 50), cancellationToken);

        var variant = await ApplyAsync(tree, cancellationToken);

        Assert.That(variant.Patches[0].Application, Is.EqualTo(PatchApplication.Offset));
        Assert.That(variant.Patches[0].Offsets, Is.EqualTo(new[] { new HunkOffset("kernel/a.c", 1, 20, 3) }));
        Assert.That(variant.Patches[0].Summary, Is.EqualTo("offset: kernel/a.c hunk #1 at 20 (+3 lines)"));
    }

    [Test, CancelAfter(60_000)]
    public async Task Reports_a_patch_that_needed_a_three_way_merge(CancellationToken cancellationToken)
    {
        // A context line changed: a plain apply fails, the 3-way merge (the patch's blobs are in the repo) succeeds.
        var tree = await TreeWithAsync(GitRepo.Lines(1, 50).Replace("line 22\n", "line 22 edited\n"), cancellationToken);

        var variant = await ApplyAsync(tree, cancellationToken);

        Assert.That(variant.Patches[0].Application, Is.EqualTo(PatchApplication.ThreeWay));
        Assert.That(await _repo.RunAsync(cancellationToken, "show", variant.Commit + ":kernel/a.c"), Does.Contain("line twenty\nline 21\nline 22 edited"));
    }

    [Test, CancelAfter(60_000)]
    public async Task Rejects_a_patch_whose_hunk_does_not_apply(CancellationToken cancellationToken)
    {
        var tree = await TreeWithAsync(GitRepo.Lines(1, 50).Replace("line 20\n", "line 20 rewritten\n"), cancellationToken);

        var error = (await Assert.ThrowsAsync<BadInputException>(() => ApplyAsync(tree, cancellationToken)))!;

        Assert.That(error.Message, Does.Contain(_temp.Combine("series", "0001-change.patch") + " (listed at " + _temp.Combine("series", "series") + ":1)"));
        Assert.That(error.Message, Does.Contain("patch 0001-change.patch does not apply: kernel/a.c, hunk @@ -17,7 +17,7 @@"));
        Assert.That(error.Message, Does.Contain("      | line 20\n"));
        Assert.That(error.Message, Does.Contain("Nearest lines in the tree (kernel/a.c:17-24, 6 of 7 non-blank lines match"));
        Assert.That(error.Message, Does.Contain("!   20 | line 20 rewritten\n"));
        Assert.That(error.Message, Does.Contain("    21 | line 21\n"));
    }

    [Test, CancelAfter(90_000)]
    public async Task A_second_apply_reuses_the_remembered_commits(CancellationToken cancellationToken)
    {
        var tree = await TreeWithAsync(null, cancellationToken);
        var first = await ApplyAsync(tree, cancellationToken);

        var second = await ApplyAsync(tree, cancellationToken);

        Assert.That(second.Patches.Select(p => p.FromCache), Is.EqualTo(new[] { true, true }));
        Assert.That(second.Commit, Is.EqualTo(first.Commit));
        Assert.That(second.TreeHash, Is.EqualTo(first.TreeHash));
    }

    [Test, CancelAfter(90_000)]
    public async Task Produces_a_baseline_without_the_patch_under_review(CancellationToken cancellationToken)
    {
        var tree = await TreeWithAsync(null, cancellationToken);
        var context = TestContexts.Create(TestContexts.Config(_temp, TestContexts.FakeArch(), series: _temp.Combine("series"), baselineWithout: ["0001-change.patch"]));

        var variants = await ApplyStage.RunAsync(context, tree, cancellationToken);

        Assert.That(variants.Select(v => v.Name), Is.EqualTo(new[] { AppliedVariant.Patched, AppliedVariant.Baseline }));
        Assert.That(variants[1].Patches.Select(p => p.Name), Is.EqualTo(new[] { "0002-add.patch" }));
        Assert.That(await _repo.RunAsync(cancellationToken, "show", variants[1].Commit + ":kernel/a.c"), Does.Contain("line 20\n"));
    }

    [Test, CancelAfter(60_000)]
    public async Task Rejects_a_baseline_that_names_a_patch_not_in_the_series(CancellationToken cancellationToken)
    {
        var context = TestContexts.Create(TestContexts.Config(_temp, TestContexts.FakeArch(), series: _temp.Combine("series"), baselineWithout: ["0009-nope.patch"]));

        var error = (await Assert.ThrowsAsync<BadInputException>(() => ApplyStage.RunAsync(context, new KernelTree("tiny", _repo.Path, _base, "t"), cancellationToken)))!;

        Assert.That(error.Message, Does.Contain("'baseline.without' names '0009-nope.patch', which"));
        Assert.That(error.Message, Does.Contain("Listed: 0001-change.patch, 0002-add.patch."));
    }
}
