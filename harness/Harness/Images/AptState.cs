using System.Security.Cryptography;
using System.Text;

namespace Harness.Images;

/// <summary>
/// A fingerprint of what apt would answer: the package lists (/var/lib/apt/lists), apt's configuration and
/// pinning (/etc/apt), the foreign architectures (dpkg), plus the question (names, arch). Names, sizes and
/// modification times only: reading them takes milliseconds, and `apt-get update` changes them.
/// </summary>
public static class AptState
{
    private static readonly string[] Places = ["/var/lib/apt/lists", "/etc/apt", "/var/lib/dpkg/arch"];

    public static string Stamp(IEnumerable<string> names, string debianArch)
    {
        var text = new StringBuilder($"{debianArch} {string.Join(',', names)}\n");
        foreach (var place in Places)
        {
            var files = File.Exists(place) ? [place]
                : Directory.Exists(place) ? Directory.EnumerateFiles(place, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                : Enumerable.Empty<string>();
            // apt's lock files and half-downloaded lists change on every apt run without changing any answer.
            foreach (var file in files.Where(f => Path.GetFileName(f) != "lock" && !f.Contains("/partial/", StringComparison.Ordinal)))
            {
                var info = new FileInfo(file);
                text.Append(file).Append(' ').Append(info.Length).Append(' ').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
            }
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
