using Harness.Config;
using Harness.Errors;

namespace Harness.Processes;

/// <summary>
/// The host programs each command starts, checked on PATH before anything else happens: a missing compiler or QEMU
/// is named with its Debian package at once, not after minutes of building (or never, when a cache hides it).
/// What an arch needs (its compiler, its QEMU and QEMU's package) comes from the arch's file.
/// </summary>
public static class HostPrograms
{
    /// <summary>What every run needs whatever the arch: git, the kernel build, selftests, guest image tools.</summary>
    public static readonly IReadOnlyList<string> Common =
        ["git", "make", "gcc", "flex", "bison", "bc", "pahole", "ccache", "tar", "clang-19", "bpftool", "dropbearkey", "ssh-keygen", "dpkg-deb", "dpkg-query", "apt-get"];

    /// <summary>
    /// The kernel tree and the series input: git (worktrees, git am), tar (an archived series), and for Debian's
    /// source package dpkg-query and apt-get (its version, installing it).
    /// </summary>
    public static IReadOnlyList<string> Tree(TreeSource tree) =>
        tree is TreeSource.DebianPackage ? ["git", "tar", "dpkg-query", "apt-get"] : ["git", "tar"];

    /// <summary>The guest image: Debian packages fetched and unpacked, the guest's and the client's SSH keys made.</summary>
    public static readonly IReadOnlyList<string> GuestImage = ["apt-get", "dpkg-deb", "dropbearkey", "ssh-keygen"];

    /// <summary>The selftest objects and the in-guest loader (built with the arch's compiler against the tree's libbpf).</summary>
    public static IReadOnlyList<string> Selftests(ArchConfig arch) => ["make", "gcc", Build.Toolchain.Compiler(arch), "clang-19", "bpftool"];

    /// <summary>`harness build`: the tree, the series and each arch's kernel toolchain.</summary>
    public static IReadOnlyList<string> Kernels(RunConfig config) =>
        Tree(config.Tree).Concat(config.Arches.SelectMany(Build.Toolchain.RequiredPrograms)).Distinct().ToArray();

    /// <summary>
    /// `harness boot` and `exec`: the guest image and the arch's QEMU, plus the kernel build when no --kernel was given
    /// (<paramref name="kernelFrom"/> is then the run config the kernel is built from).
    /// </summary>
    public static IReadOnlyList<string> Guest(ArchConfig arch, RunConfig? kernelFrom) =>
        (kernelFrom is null ? [] : Kernels(kernelFrom)).Concat(GuestImage).Append(arch.Qemu.Binary).Distinct().ToArray();

    /// <summary>The programs a run of <paramref name="config"/> needs: <see cref="Common"/> plus each arch's compiler and QEMU.</summary>
    /// <remarks>An arch whose every kernel runs on a board (target kind ssh) needs no QEMU.</remarks>
    public static IReadOnlyList<string> For(RunConfig config)
    {
        var roles = config.BaselineEnabled ? new[] { Verdicts.KernelRole.Patched, Verdicts.KernelRole.Baseline } : [Verdicts.KernelRole.Patched];
        bool OnBoards(ArchConfig arch) => roles.All(r => config.Boards.Any(b => b.Arch.Name == arch.Name && b.Kernel == r));
        return Common
            .Concat(Kernels(config))
            .Concat(GuestImage)
            .Concat(config.Arches.SelectMany(Selftests))
            .Concat(config.Arches.Where(a => !OnBoards(a)).Select(a => a.Qemu.Binary))
            .Distinct().ToArray();
    }

    /// <summary>Throws <see cref="InfrastructureException"/> (exit 2) naming every missing program and its Debian package.</summary>
    public static void Check(RunConfig config, Func<string, bool>? isInstalled = null) => Check(For(config), config.Arches, isInstalled);

    /// <summary>
    /// Throws <see cref="InfrastructureException"/> (exit 2) naming every one of <paramref name="programs"/> missing from
    /// PATH and its Debian package: a QEMU's from its arch file (<paramref name="arches"/>), others from <see cref="MissingPrograms"/>.
    /// </summary>
    public static void Check(IEnumerable<string> programs, IEnumerable<ArchConfig> arches, Func<string, bool>? isInstalled = null)
    {
        isInstalled ??= program => Build.Toolchain.FindOnPath(program) is not null;
        var missing = programs.Distinct().Where(p => !isInstalled(p)).ToArray();
        if (missing.Length == 0) return;
        var fromArchFiles = arches.GroupBy(a => a.Qemu.Binary).ToDictionary(g => g.Key, g => g.First().Qemu.Package);
        throw new InfrastructureException(
            $"{string.Join(", ", missing)} not found on PATH; nothing was started.\n" +
            string.Join("\n", missing.Select(p => $"  {p}: {MissingPrograms.Hint(p, fromArchFiles.GetValueOrDefault(p))}")));
    }
}
