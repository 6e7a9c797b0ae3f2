using Harness.Pipeline;
using Harness.Processes;

namespace Harness.Tree;

/// <summary>
/// Worktrees the harness owns under the cache (apply/, build/), added to the cache repository (never to
/// a user's checkout). Switching one to another commit rewrites only the files that differ, so their
/// mtimes, and so an out-of-tree build's incremental rebuild, follow real changes only.
/// </summary>
public static class HarnessWorktree
{
    /// <summary>Creates the worktree at <paramref name="commit"/> if missing (or half-made); otherwise leaves it as it is.</summary>
    public static async Task EnsureAsync(IProcessRunner runner, KernelTree tree, string path, string commit, string log,
        IProgressSink progress, CancellationToken cancellationToken)
    {
        // The marker is written after `worktree add` finished: an interrupted checkout is redone, not trusted.
        var marker = path + ".ready";
        if (File.Exists(marker) && File.Exists(Path.Combine(path, ".git"))) return;
        if (File.Exists(marker)) File.Delete(marker);
        var repository = new Git(runner, tree.Repository, log);
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        // Forget a worktree whose directory was removed, or `worktree add` refuses the path.
        await repository.RunAsync(cancellationToken, "worktree", "prune");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        progress.Stage("-", "tree", $"checking out {commit[..12]} into {path} (once)");
        await repository.RunAsync(cancellationToken, "worktree", "add", "--force", "--detach", path, commit);
        await File.WriteAllTextAsync(marker, commit, cancellationToken);
    }

    /// <summary>Moves the worktree to <paramref name="commit"/>, creating it if needed.</summary>
    public static async Task CheckoutAsync(IProcessRunner runner, KernelTree tree, string path, string commit, string log,
        IProgressSink progress, CancellationToken cancellationToken)
    {
        await EnsureAsync(runner, tree, path, commit, log, progress, cancellationToken);
        var worktree = new Git(runner, path, log);
        if (await worktree.ResolveAsync("HEAD", cancellationToken) == commit) return;
        await worktree.RunAsync(cancellationToken, "checkout", "--quiet", "--force", "--detach", commit);
    }
}
