namespace Harness.Tree;

/// <summary>
/// A provisioned kernel source tree: a git repository the harness owns (in the cache) and the commit
/// the series is applied onto. <paramref name="Key"/> names its worktrees and build directories.
/// </summary>
public sealed record KernelTree(string Key, string Repository, string BaseCommit, string Description)
{
    /// <summary>
    /// A directory holding the base commit's tools/ (libbpf, the tools' uapi headers, the kernel's BPF selftests), for
    /// the host-side builds. The Debian tree is checked out, so it is <see cref="Repository"/>; a clone of a user's
    /// checkout has no working files, so it is a copy of tools/ at the base commit beside it.
    /// </summary>
    public string Tools { get; init; } = Repository;
}
