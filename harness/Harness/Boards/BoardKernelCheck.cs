using Harness.Build;
using Harness.Errors;
using Harness.Ssh;
using Harness.Verdicts;

namespace Harness.Boards;

/// <summary>
/// Checks that a board runs the kernel the run means: its `uname -r` must be the release and its /proc/version
/// the banner of the kernel the harness built for that arch and variant (linux_banner in the cached vmlinux).
/// The banner holds the build number and link time, so a board still on the baseline build (same release)
/// is told apart from one on the patched build.
/// </summary>
public static class BoardKernelCheck
{
    /// <summary>Returns the board's release; a mismatch is an InfrastructureException (exit 2) naming both kernels.</summary>
    public static async Task<string> VerifyAsync(IGuestSession session, BoardTarget board, KernelArtifacts kernel, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var expected = KernelBanner.FromVmlinux(kernel.Vmlinux);
        var release = (await session.RunAsync("uname -r", timeout, cancellationToken)).Stdout.Trim();
        var version = (await session.RunAsync("cat /proc/version", timeout, cancellationToken)).Stdout.Trim();
        var problem = Compare(expected, release, version);
        if (problem is null) return release;
        var role = board.Kernel.ToString().ToLowerInvariant();
        throw new InfrastructureException(
            $"Board {board.Name} ({board.Host}:{board.Port}) does not run the {board.Arch.Name} {role} kernel the harness built ({problem}).\n" +
            $"  board:    uname -r '{release}', /proc/version '{version}'\n" +
            $"  expected: uname -r '{expected.Release}', banner '{expected.Banner}' (from {kernel.Vmlinux})\n" +
            $"Boot the board into {kernel.Image}, or fix 'kernel: {role}' in {board.SourceFile}.");
    }

    /// <summary>Null when the board's release and /proc/version are those of <paramref name="expected"/>, else what differs.</summary>
    public static string? Compare(KernelBanner expected, string release, string procVersion)
    {
        if (release != expected.Release) return "the release differs";
        var running = KernelBanner.Parse(procVersion);
        if (running is null) return "/proc/version is not a kernel banner";
        return running.Banner == expected.Banner ? null : "same release, another build: the build number or date differs";
    }

    /// <summary>Which of the kernels a role names, for messages.</summary>
    public static string Name(KernelRole role) => role.ToString().ToLowerInvariant();
}
