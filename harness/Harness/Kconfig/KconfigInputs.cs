using System.Security.Cryptography;
using System.Text;
using Harness.Tree;

namespace Harness.Kconfig;

/// <summary>
/// The files of a source tree that can change what Kconfig produces: every Kconfig* file, the config
/// fragments under */configs/ (tinyconfig, defconfig), scripts/ (Kconfig runs scripts and the kconfig
/// tool itself) and the top Makefile. Variants that differ only in C files (the usual verifier patch)
/// share one configuration, so switching variants runs no Kconfig at all.
/// </summary>
public static class KconfigInputs
{
    public static bool Matters(string path) =>
        Path.GetFileName(path).StartsWith("Kconfig", StringComparison.Ordinal)
        || path.StartsWith("scripts/", StringComparison.Ordinal)
        || path.Contains("/configs/", StringComparison.Ordinal)
        || path == "Makefile";

    /// <summary>A hash of the blob ids of the files that matter, from `git ls-tree -r` (no checkout needed).</summary>
    public static async Task<string> HashAsync(Git repository, string commit, CancellationToken cancellationToken)
    {
        var listing = await repository.RunAsync(cancellationToken, "ls-tree", "-r", "--full-tree", commit);
        var relevant = listing.Split('\n').Where(line => line.IndexOf('\t') is var tab and > 0 && Matters(line[(tab + 1)..]));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', relevant))));
    }
}
