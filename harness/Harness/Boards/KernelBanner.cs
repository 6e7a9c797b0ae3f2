using System.Text;
using System.Text.RegularExpressions;
using Harness.Errors;

namespace Harness.Boards;

/// <summary>
/// A kernel's identity as it reports itself: the banner "Linux version RELEASE (BUILDER) (COMPILER) #N ... DATE",
/// which the running kernel prints as /proc/version and which vmlinux carries as linux_banner. The release
/// (uname -r) alone does not tell the patched and the baseline build apart (both say 6.12.117+); the build
/// number and the link time in the banner do.
/// </summary>
/// <param name="Release">uname -r: "6.12.117+".</param>
/// <param name="Banner">The whole line without the trailing newline.</param>
public sealed partial record KernelBanner(string Release, string Banner)
{
    private static readonly byte[] Prefix = "Linux version "u8.ToArray();

    // The real banner has the build number and date; vmlinux also holds a "#  SMP" copy built before the
    // link (init/version.o), which never shows in /proc/version.
    [GeneratedRegex(@"^Linux version (?<release>\S+) \(.*\) #\d+ .+$")]
    private static partial Regex BannerPattern();

    /// <summary>Parses /proc/version (or any banner line); null when it is not a banner.</summary>
    public static KernelBanner? Parse(string text)
    {
        var line = text.Trim();
        var match = BannerPattern().Match(line);
        return match.Success ? new KernelBanner(match.Groups["release"].Value, line) : null;
    }

    /// <summary>The banner linked into <paramref name="vmlinux"/> (the kernel the harness built).</summary>
    public static KernelBanner FromVmlinux(string vmlinux)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(vmlinux);
        }
        catch (IOException e)
        {
            throw new InfrastructureException($"Cannot read {vmlinux} to learn the kernel's banner: {e.Message}", e);
        }
        var found = FromBytes(bytes);
        return found.Count switch
        {
            1 => found[0],
            0 => throw new InfrastructureException($"{vmlinux} holds no 'Linux version ... #N ...' banner; is it a vmlinux?"),
            _ => throw new InfrastructureException($"{vmlinux} holds {found.Count} different kernel banners: {string.Join(" | ", found.Select(b => b.Banner))}"),
        };
    }

    /// <summary>Every distinct banner in a binary (NUL- or newline-terminated strings starting "Linux version ").</summary>
    public static IReadOnlyList<KernelBanner> FromBytes(ReadOnlySpan<byte> bytes)
    {
        var found = new List<KernelBanner>();
        var offset = 0;
        while (true)
        {
            var at = bytes[offset..].IndexOf(Prefix);
            if (at < 0) break;
            var start = offset + at;
            var rest = bytes[start..];
            var end = rest.IndexOfAny((byte)0, (byte)'\n');
            var length = end < 0 ? Math.Min(rest.Length, 512) : Math.Min(end, 512);
            if (Parse(Encoding.UTF8.GetString(rest[..length])) is { } banner && !found.Contains(banner)) found.Add(banner);
            offset = start + Prefix.Length;
        }
        return found;
    }
}
