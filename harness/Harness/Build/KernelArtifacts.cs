namespace Harness.Build;

/// <summary>
/// A finished kernel in the cache (kernels/ARCH/KEY/): boot image, vmlinux (BTF, symbols), its .config.
/// <paramref name="Key"/> hashes what produced it (source tree, .config, arch, compiler).
/// </summary>
public sealed record KernelArtifacts(string Arch, string Variant, string Image, string Vmlinux, string Config, string Key, bool FromCache, TimeSpan Duration)
{
    /// <summary>The directory holding the image, vmlinux, .config, System.map and build.log.</summary>
    public string Directory => Path.GetDirectoryName(Image)!;
}
