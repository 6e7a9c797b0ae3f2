using Harness.Errors;
using Harness.Pipeline;
using Harness.Processes;
using Harness.Tree;

namespace Harness.Patches;

public static partial class ApplyStage
{
    /// <summary>The harness's own apply worktree of the cache repository, created on first use.</summary>
    private static async Task<Git> OpenWorktreeAsync(StageContext context, KernelTree tree, CancellationToken cancellationToken)
    {
        var path = context.Cache.Worktree(tree.Key, "apply");
        var log = context.LogFile("apply");
        await HarnessWorktree.EnsureAsync(context.Runner, tree, path, tree.BaseCommit, log, context.Progress, cancellationToken);
        var worktree = new Git(context.Runner, path, log);
        // An earlier run killed in the middle of git am leaves its state behind.
        var amState = await worktree.RunAsync(cancellationToken, "rev-parse", "--git-path", "rebase-apply");
        if (Directory.Exists(Path.Combine(path, amState))) await worktree.TryAsync(cancellationToken, "am", "--abort");
        return worktree;
    }

    private static async Task<PatchOutcome> ApplyOneAsync(StageContext context, string variant, Git worktree, string parent, SeriesEntry patch,
        CancellationToken cancellationToken)
    {
        worktree = new Git(PrepareLimit.For(context, $"applying {patch.Name} ({variant})"), worktree.Directory, context.LogFile("apply"));
        await worktree.RunAsync(cancellationToken, "checkout", "--quiet", "--force", "--detach", parent);
        var checkResult = await worktree.TryAsync(cancellationToken, "apply", "--check", "--verbose", patch.Path);
        var check = ApplyCheckParser.Parse(checkResult.StandardOutput + "\n" + checkResult.StandardError, checkResult.ExitCode);

        var am = await worktree.TryAsync(cancellationToken, "am", "--3way", "--keep-cr", "--committer-date-is-author-date", patch.Path);
        if (!am.Succeeded)
        {
            await worktree.TryAsync(cancellationToken, "am", "--abort");
            throw new BadInputException(await DescribeFailureAsync(worktree, patch, check, am, context.Config.SeriesInput?.Origin(patch.Name), cancellationToken));
        }
        var commit = await worktree.RunAsync(cancellationToken, "rev-parse", "HEAD");
        var application = !check.Applies ? PatchApplication.ThreeWay
            : check.Offsets.Count > 0 ? PatchApplication.Offset
            : PatchApplication.Clean;
        return new PatchOutcome(patch.Name, application, commit, check.Offsets, FromCache: false);
    }

    private static async Task<string> DescribeFailureAsync(Git worktree, SeriesEntry patch, ApplyCheck check, ProcessResult am, string? origin,
        CancellationToken cancellationToken)
    {
        var where = $"{patch.Path} (listed at {Path.Combine(Path.GetDirectoryName(patch.Path)!, SeriesReader.SeriesFileName)}:{patch.Line})";
        // A series split from the user's mbox: name their file and mail, not only our copy of it.
        if (origin is not null) where += $", {origin}";
        if (check.Rejections.Count > 0)
        {
            var rejection = check.Rejections[0];
            var file = Path.Combine(worktree.Directory, rejection.File);
            var text = File.Exists(file) ? await File.ReadAllTextAsync(file, cancellationToken) : null;
            var patchText = await File.ReadAllTextAsync(patch.Path, cancellationToken);
            return $"{where}:\n{HunkFailureReport.Describe(patch.Name, patchText, rejection, text)}";
        }
        if (check.MissingFiles.Count > 0)
            return $"{where}:\npatch {patch.Name} changes {string.Join(", ", check.MissingFiles)}, which the tree does not have. " +
                   "Check that the series is meant for this tree (--tree/--base).";
        var tail = string.Join("\n", am.OutputTail.TakeLast(12).Select(l => "   " + l));
        return $"{where}:\npatch {patch.Name} does not apply (git am --3way failed):\n{tail}\nFix the patch (is it a git format-patch file?) and run again.";
    }
}
