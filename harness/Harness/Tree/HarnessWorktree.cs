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
        if (File.Exists(marker) && File.Exists(Path.Combine(path, ".git")))
        {
            RemoveStaleIndexLock(path, progress);
            return;
        }
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

    /// <summary>
    /// A git stopped in the worktree (at timeouts.prepare, by Ctrl-C, or with a killed run) leaves its index.lock, and every
    /// later git there refuses to run. Callers hold the worktree's cache lock, so no live git of the harness is using it.
    /// </summary>
    private static void RemoveStaleIndexLock(string path, IProgressSink progress)
    {
        // A linked worktree's .git is a file: "gitdir: REPOSITORY/.git/worktrees/NAME", where its index lives.
        var line = File.ReadLines(Path.Combine(path, ".git")).FirstOrDefault() ?? "";
        if (!line.StartsWith("gitdir: ", StringComparison.Ordinal)) return;
        var indexLock = Path.Combine(Path.GetFullPath(line["gitdir: ".Length..].Trim(), path), "index.lock");
        if (!File.Exists(indexLock)) return;
        progress.Stage("-", "tree", $"removing {indexLock}, left by a git that was stopped (a limit, Ctrl-C or a killed run)");
        File.Delete(indexLock);
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
