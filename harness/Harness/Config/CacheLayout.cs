namespace Harness.Config;

/// <summary>
/// Where things live under the cache directory (default ~/.cache/harness). One place defines the
/// layout so stages agree on it and `harness clean` knows what to remove.
/// </summary>
public sealed record CacheLayout(string Root)
{
    /// <summary>Extracted Debian source trees, one git repo each with a base commit: trees/linux-source-6.12.</summary>
    public string Tree(string name) => Path.Combine(Root, "trees", name);

    /// <summary>Worktrees the harness owns for one source tree (apply/, build/): worktrees/TREEKEY/ROLE.</summary>
    public string Worktree(string treeKey, string role) => Path.Combine(Root, "worktrees", treeKey, role);

    /// <summary>The reused out-of-tree (O=) build directory for one tree and arch: incremental rebuilds happen here.</summary>
    public string BuildDirectory(string treeKey, string arch) => Path.Combine(Root, "build", treeKey, arch);

    /// <summary>Finished kernels, keyed by what produced them (source tree hash, config, arch): kernels/ARCH/KEY.</summary>
    public string Kernel(string arch, string key) => Path.Combine(Root, "kernels", arch, key);

    /// <summary>Guest initramfs images and their keys: images/ARCH/KEY.</summary>
    public string Image(string arch, string key) => Path.Combine(Root, "images", arch, key);

    /// <summary>Debian packages downloaded for guest images, per Debian arch.</summary>
    public string Packages(string debianArch) => Path.Combine(Root, "packages", debianArch);

    /// <summary>Per-arch tools built from the tree for the guest (static libbpf, loader): tools/TREEKEY/ARCH.</summary>
    public string Tools(string treeKey, string arch) => Path.Combine(Root, "tools", treeKey, arch);

    /// <summary>vmlinux.h dumped from one built kernel's BTF: headers/KEY/ARCH.</summary>
    public string Headers(string key, string arch) => Path.Combine(Root, "headers", key, arch);

    /// <summary>Compiled selftest objects: objects/KEY/ARCH.</summary>
    public string Objects(string key, string arch) => Path.Combine(Root, "objects", key, arch);

    /// <summary>What applying one patch onto one commit gave (outcome and commit), so a re-run does not re-apply: applied/KEY.json.</summary>
    public string AppliedPatch(string key) => Path.Combine(Root, "applied", key + ".json");

    /// <summary>Final .config files already produced and checked for a set of inputs, so a re-run skips Kconfig: configs/ARCH/KEY.config.</summary>
    public string KernelConfig(string arch, string key) => Path.Combine(Root, "configs", arch, key + ".config");

    /// <summary>Lock files, one per cache entry being written.</summary>
    public string Lock(string name) => Path.Combine(Root, "locks", name + ".lock");

    public string Ccache => Path.Combine(Root, "ccache");
}
