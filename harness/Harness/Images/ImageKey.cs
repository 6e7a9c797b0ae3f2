using System.Security.Cryptography;
using System.Text;

namespace Harness.Images;

/// <summary>
/// The cache key of an image: a hash of every input (recipe version, arch, each package's .deb SHA256 and
/// file list, the directories, the init script, the rootfs overlay, each extra file's path, mode and
/// contents, compression). The manifest text is kept beside the image so a person can see what went in.
/// </summary>
public static class ImageKey
{
    /// <summary>Bump when the builder's own output changes for the same inputs.</summary>
    public const int RecipeVersion = 1;

    public static string Manifest(ImageRecipe recipe, string arch, string gnuTriplet, IReadOnlyList<ResolvedPackage> packages,
        IReadOnlyList<ImageFile> extraFiles, bool gzip)
    {
        var text = new StringBuilder();
        text.AppendLine($"recipe-version {RecipeVersion}");
        text.AppendLine($"arch {arch} {gnuTriplet}");
        text.AppendLine($"gzip {gzip}");
        foreach (var selection in recipe.Packages.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var resolved = packages.Single(p => p.Name == selection.Name);
            text.AppendLine($"package {resolved.FileName} sha256:{resolved.Sha256} files {string.Join(' ', selection.Patterns)}");
        }
        foreach (var dir in recipe.Directories) text.AppendLine($"directory {dir.Path} {Convert.ToString(dir.Mode, 8)}");
        text.AppendLine($"init sha256:{HashFile(recipe.InitFile)}");
        if (Directory.Exists(recipe.RootfsDirectory))
            foreach (var file in Directory.EnumerateFiles(recipe.RootfsDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                text.AppendLine($"rootfs {Path.GetRelativePath(recipe.RootfsDirectory, file)} sha256:{HashFile(file)}");
        foreach (var extra in extraFiles.OrderBy(f => f.GuestPath, StringComparer.Ordinal))
            text.AppendLine($"extra {extra.GuestPath} {Convert.ToString(extra.Mode, 8)} sha256:{(File.Exists(extra.HostPath) ? HashFile(extra.HostPath) : "missing")}");
        return text.ToString();
    }

    public static string Of(string manifest) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest)))[..16];

    private static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
