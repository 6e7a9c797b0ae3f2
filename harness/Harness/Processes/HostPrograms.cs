using Harness.Config;
using Harness.Errors;

namespace Harness.Processes;

/// <summary>
/// Every host program a whole run may start, checked on PATH before anything else happens: a missing compiler or
/// QEMU is named with its Debian package at once, not after minutes of building (or never, when a cache hides it).
/// </summary>
public static class HostPrograms
{
    /// <summary>What every run needs whatever the arch: git, the kernel build, selftests, guest image tools.</summary>
    public static readonly IReadOnlyList<string> Common =
        ["git", "make", "gcc", "flex", "bison", "bc", "pahole", "ccache", "tar", "clang-19", "bpftool", "dropbearkey", "ssh-keygen", "dpkg-deb", "dpkg-query", "apt-get"];

    /// <summary>The programs a run of <paramref name="config"/> needs: <see cref="Common"/> plus each arch's compiler and QEMU.</summary>
    /// <remarks>An arch whose every kernel runs on a board (target kind ssh) needs no QEMU.</remarks>
    public static IReadOnlyList<string> For(RunConfig config)
    {
        var roles = config.BaselineEnabled ? new[] { Verdicts.KernelRole.Patched, Verdicts.KernelRole.Baseline } : [Verdicts.KernelRole.Patched];
        bool OnBoards(ArchConfig arch) => roles.All(r => config.Boards.Any(b => b.Arch.Name == arch.Name && b.Kernel == r));
        return Common
            .Concat(config.Arches.Select(a => a.CrossCompile + "gcc"))
            .Concat(config.Arches.Where(a => !OnBoards(a)).Select(a => a.Qemu.Binary))
            .Distinct().ToArray();
    }

    /// <summary>Throws <see cref="InfrastructureException"/> (exit 2) naming every missing program and its Debian package.</summary>
    public static void Check(RunConfig config, Func<string, bool>? isInstalled = null)
    {
        isInstalled ??= program => Build.Toolchain.FindOnPath(program) is not null;
        var missing = For(config).Where(p => !isInstalled(p)).ToArray();
        if (missing.Length == 0) return;
        throw new InfrastructureException(
            $"{string.Join(", ", missing)} not found on PATH; nothing was started.\n" +
            string.Join("\n", missing.Select(p => $"  {p}: {MissingPrograms.Hint(p)}")));
    }
}
