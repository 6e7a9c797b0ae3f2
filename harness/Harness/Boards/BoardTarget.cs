using Harness.Config;
using Harness.Verdicts;

namespace Harness.Boards;

/// <summary>
/// A real machine reached over SSH (target kind "ssh") that already runs one of the kernels the harness built.
/// It replaces the QEMU guest for its (arch, kernel): the loader and the objects built on the host for its arch
/// are uploaded to <see cref="WorkDirectory"/> and run there; nothing is compiled on the board.
/// </summary>
/// <param name="Name">The board's name in reports ("rock5b-1").</param>
/// <param name="Arch">Its architecture (the objects and loader are built for it).</param>
/// <param name="Kernel">Which of the run's kernels it runs; its /proc/version must be that kernel's banner.</param>
/// <param name="Host">Host name or address of its SSH server.</param>
/// <param name="Port">Its SSH port (22 by default).</param>
/// <param name="User">The user that logs in and loads the programs (root, or one with CAP_BPF and CAP_SYS_ADMIN).</param>
/// <param name="PrivateKeyFile">OpenSSH private key file for <paramref name="User"/>.</param>
/// <param name="HostKeys">The host keys trusted for it, and where they came from.</param>
/// <param name="WorkDirectory">Absolute directory on the board for the loader and the objects (created, removed after).</param>
/// <param name="SourceFile">The YAML (file:line:col) that described it, for messages.</param>
public sealed record BoardTarget(
    string Name, ArchConfig Arch, KernelRole Kernel, string Host, int Port, string User, string PrivateKeyFile,
    BoardHostKeys HostKeys, string WorkDirectory, string SourceFile)
{
    /// <summary>How reports name where the programs ran: "ssh NAME (host:port)".</summary>
    public string Describe => $"ssh {Name} ({Host}:{Port})";
}

/// <summary>
/// The host keys a board may present ("ALGORITHM BASE64" lines) and where they came from:
/// "known_hosts FILE" (the lines for [host]:port) or "host-key at FILE:LINE:COL".
/// </summary>
public sealed record BoardHostKeys(IReadOnlyList<string> KeyLines, string Source);
