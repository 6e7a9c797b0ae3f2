namespace Harness.Tree;

/// <summary>
/// A provisioned kernel source tree: a git repository the harness owns (in the cache) and the commit
/// the series is applied onto. <paramref name="Key"/> names its worktrees and build directories.
/// </summary>
public sealed record KernelTree(string Key, string Repository, string BaseCommit, string Description);
