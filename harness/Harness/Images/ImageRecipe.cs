using Harness.Config;
using Harness.Errors;

namespace Harness.Images;

/// <summary>Files taken from one Debian package: path patterns relative to the package root.</summary>
public sealed record PackageSelection(string Name, IReadOnlyList<string> Patterns);

/// <summary>An empty directory in the image, with its mode.</summary>
public sealed record ImageDirectory(string Path, int Mode);

/// <summary>
/// The validated vm-images/ recipe: packages and their files (image.yaml), the init script, the static
/// rootfs overlay. Pure data; <see cref="ImageBuilder"/> turns it into an initramfs.
/// </summary>
public sealed record ImageRecipe(
    string RecipeFile,
    IReadOnlyList<PackageSelection> Packages,
    IReadOnlyList<ImageDirectory> Directories,
    string InitFile,
    string RootfsDirectory)
{
    public const string RecipeFileName = "image.yaml";

    public static ImageRecipe Load(string vmImagesDirectory)
    {
        var file = Path.Combine(vmImagesDirectory, RecipeFileName);
        if (!File.Exists(file))
            throw new BadInputException($"{file}: guest image recipe not found. The checkout's vm-images/ must hold image.yaml, init and rootfs/.");
        var root = YamlNodeReader.Load(file).OnlyKeys("packages", "directories");
        var packages = root.Required("packages").Entries()
            .Select(e => new PackageSelection(e.Key, ReadPatterns(e.Value)))
            .ToArray();
        if (packages.Length == 0) throw root.Required("packages").Error("is empty. List the Debian packages the guest needs.");
        var directories = root.Optional("directories")?.Items().Select(ReadDirectory).ToArray() ?? [];

        var init = Path.Combine(vmImagesDirectory, "init");
        if (!File.Exists(init))
            throw new BadInputException($"{init}: the guest init script is missing. Restore vm-images/init from git.");
        return new ImageRecipe(file, packages, directories, init, Path.Combine(vmImagesDirectory, "rootfs"));
    }

    private static IReadOnlyList<string> ReadPatterns(YamlNodeReader node)
    {
        var items = node.Items();
        if (items.Count == 0) throw node.Error("lists no files. Name at least one path inside the package.");
        return items.Select(i =>
        {
            var p = i.AsString();
            return p.StartsWith('/') || p.Contains("..")
                ? throw i.Error($"is '{p}'. Give a path relative to the package root, without '..' (e.g. usr/sbin/dropbear).")
                : p;
        }).ToArray();
    }

    private static ImageDirectory ReadDirectory(YamlNodeReader node)
    {
        var text = node.AsString();
        var parts = text.Split(':');
        if (parts.Length > 2 || parts[0].Length == 0 || parts[0].StartsWith('/'))
            throw node.Error($"is '{text}'. Write a relative path, optionally with an octal mode: root/.ssh:0700.");
        try
        {
            return new ImageDirectory(parts[0], parts.Length == 2 ? Convert.ToInt32(parts[1], 8) : 0b111_101_101);
        }
        catch (FormatException)
        {
            throw node.Error($"has mode '{parts[1]}', which is not octal. Write it like 0700.");
        }
    }
}
