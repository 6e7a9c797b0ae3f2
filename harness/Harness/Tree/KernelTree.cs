namespace Harness.Tree;

/// <summary>
/// A provisioned kernel source tree: a git repository the harness owns (in the cache) and the commit
/// the series is applied onto. <paramref name="Key"/> names its worktrees and build directories.
/// </summary>
public sealed record KernelTree(string Key, string Repository, string BaseCommit, string Description)
{
    /// <summary>
    /// Whether <see cref="Repository"/> has the base commit's files on disk (the extracted Debian tree does); a clone
    /// of a user's checkout has none, and the host-side builds get tools/ from <see cref="TreeStage.ToolsAsync"/>.
    /// </summary>
    public bool CheckedOut { get; init; } = true;
}
