using Harness.Config;

namespace Harness.Images;

/// <summary>A file the image must carry beyond the recipe (the in-guest BPF loader, a test module).</summary>
/// <param name="HostPath">The file on the host; its contents are part of the image key.</param>
/// <param name="GuestPath">Absolute path inside the guest, e.g. /usr/bin/harness-loader.</param>
/// <param name="Mode">Permission bits, e.g. 0755 (octal: write <c>0b111_101_101</c> or <c>Convert.ToInt32("755", 8)</c>).</param>
public sealed record ImageFile(string HostPath, string GuestPath, int Mode);

/// <summary>What to build an initramfs for: the arch and the extra files.</summary>
public sealed record ImageRequest(ArchConfig Arch, IReadOnlyList<ImageFile> ExtraFiles)
{
    /// <summary>gzip the cpio archive; the kernel must have CONFIG_RD_GZIP (configs/kconfig/base.config sets it).</summary>
    public bool Gzip { get; init; } = true;
}

/// <summary>
/// A built guest initramfs and the keys to reach it: the host public key to pin (OpenSSH one-line form,
/// "ssh-ed25519 AAAA...") and the client private key (OpenSSH format, mode 0600) root accepts.
/// </summary>
public sealed record GuestImage(string Arch, string Initramfs, string HostPublicKey, string ClientPrivateKeyFile, string Key);
