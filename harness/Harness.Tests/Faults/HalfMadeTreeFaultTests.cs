using Harness.Errors;
using Harness.Tests.Support;
using Harness.Tree;

namespace Harness.Tests.Faults;

/// <summary>
/// The Debian tree in the cache left half-made by a killed run: `bin/harness tree` with a scratch cache holding only a
/// tree directory. A tree whose base commit and tag exist but whose marker does not is adopted; one without the tag
/// (extraction or commit interrupted) is removed and extracted again (a real extraction: a minute or two here).
/// </summary>
[Category("Faults")]
[NonParallelizable]
public class HalfMadeTreeFaultTests
{
    [Test, CancelAfter(120_000)]
    public async Task A_tree_with_its_base_tag_but_no_marker_is_adopted_and_a_left_over_extraction_removed(CancellationToken cancellationToken)
    {
        using var scratch = new ScratchConfig();
        var repository = Path.Combine(scratch.Cache, "trees", "linux-source-6.12");
        var repo = await GitRepo.InitAsync(repository, cancellationToken);
        repo.Write("Makefile", "# the extracted source\n");
        var commit = await repo.CommitAllAsync("linux-source-6.12 as extracted", cancellationToken);
        await repo.RunAsync(cancellationToken, "tag", TreeStage.BaseTag);
        var leftOver = repository + ".tmp-0badc0de"; // an extraction a killed run left beside it
        Directory.CreateDirectory(Path.Combine(leftOver, "kernel"));

        var result = await HarnessCli.RunAsync(["tree", "--config", scratch.Write()], cancellationToken, scratch.Temp);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.Transcript());
        Assert.That(result.StandardError, Does.Contain($"adopted {repository} (tag {TreeStage.BaseTag} present)"));
        Assert.That(result.StandardOutput, Does.Contain($"base:       {commit.Trim()}"));
        Assert.That(File.Exists(Path.Combine(repository, ".git", TreeStage.MarkerFile)));
        Assert.That(result.StandardError, Does.Contain($"removing {leftOver}, left by an interrupted run"));
        Assert.That(Directory.Exists(leftOver), Is.False);
    }

    [Test, CancelAfter(900_000)]
    [Category("EndToEnd")]
    public async Task A_half_extracted_tree_without_its_base_tag_is_removed_and_extracted_again(CancellationToken cancellationToken)
    {
        using var scratch = new ScratchConfig();
        var repository = Path.Combine(scratch.Cache, "trees", "linux-source-6.12");
        var repo = await GitRepo.InitAsync(repository, cancellationToken);
        repo.Write("Makefile", "# half of the extracted source: the commit never happened\n");

        var result = await HarnessCli.RunAsync(["tree", "--config", scratch.Write()], cancellationToken, scratch.Temp, limit: TimeSpan.FromMinutes(14));

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.Transcript());
        Assert.That(result.StandardError, Does.Contain($"{repository} is half-made (no {TreeStage.BaseTag} tag); removing it and extracting again"));
        Assert.That(File.Exists(Path.Combine(repository, ".git", TreeStage.MarkerFile)));
        Assert.That(File.Exists(Path.Combine(repository, "kernel", "bpf", "verifier.c")), "the real source is there now");
        Assert.That(Directory.GetDirectories(Path.Combine(scratch.Cache, "trees")), Is.EqualTo(new[] { repository }), "no temporary sibling left");
    }
}
