using System.Text;
using System.Text.RegularExpressions;
using Harness.Errors;

namespace Harness.Images;

/// <summary>
/// Assembles the initramfs entries: the selected files of each unpacked package, the recipe's directories,
/// the rootfs overlay, /init, the keys, the extra files and /dev/console; every parent directory is added.
/// </summary>
public static class ImageContents
{
    public const string GuestHostKeyPath = "etc/dropbear/dropbear_ed25519_host_key";
    public const string AuthorizedKeysPath = "root/.ssh/authorized_keys";
    private const int Rwxr_xr_x = 0b111_101_101, Rw_______ = 0b110_000_000;

    public static IReadOnlyList<CpioEntry> Assemble(
        ImageRecipe recipe, string gnuTriplet, IReadOnlyList<(PackageSelection Selection, string Root)> packages,
        GuestKeyFiles keys, IReadOnlyList<ImageFile> extraFiles)
    {
        var entries = new Dictionary<string, CpioEntry>(StringComparer.Ordinal);
        void Add(CpioEntry e) => entries[e.Path] = e;

        foreach (var (selection, root) in packages)
            foreach (var pattern in selection.Patterns)
                foreach (var path in Match(root, pattern.Replace("{triplet}", gnuTriplet), selection.Name))
                    Add(FromHost(path, Path.GetRelativePath(root, path)));
        foreach (var dir in recipe.Directories) Add(new CpioEntry.Directory(dir.Path, dir.Mode));
        if (Directory.Exists(recipe.RootfsDirectory))
            foreach (var file in Directory.EnumerateFiles(recipe.RootfsDirectory, "*", SearchOption.AllDirectories))
                Add(FromHost(file, Path.GetRelativePath(recipe.RootfsDirectory, file)));

        Add(new CpioEntry.File("init", Rwxr_xr_x, File.ReadAllBytes(recipe.InitFile)));
        Add(new CpioEntry.File(GuestHostKeyPath, Rw_______, File.ReadAllBytes(keys.HostKeyFile)));
        Add(new CpioEntry.File(AuthorizedKeysPath, Rw_______, Encoding.ASCII.GetBytes(keys.ClientPublicKey + "\n")));
        Add(new CpioEntry.CharDevice("dev/console", Rw_______, 5, 1));
        foreach (var extra in extraFiles)
        {
            if (!File.Exists(extra.HostPath))
                throw new BadInputException($"Image extra file {extra.HostPath} (for {extra.GuestPath}) does not exist. Build it first or fix the path.");
            if (!extra.GuestPath.StartsWith('/'))
                throw new BadInputException($"Image extra file {extra.HostPath}: guest path '{extra.GuestPath}' must be absolute (e.g. /usr/bin/loader).");
            Add(new CpioEntry.File(extra.GuestPath.TrimStart('/'), extra.Mode, File.ReadAllBytes(extra.HostPath)));
        }

        foreach (var path in entries.Keys.ToArray())
            for (var parent = Path.GetDirectoryName(path); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
                entries.TryAdd(parent, new CpioEntry.Directory(parent, Rwxr_xr_x));
        return entries.Values.OrderBy(e => e.Path, StringComparer.Ordinal).ToArray();
    }

    private static CpioEntry FromHost(string hostPath, string guestPath)
    {
        var info = new FileInfo(hostPath);
        return info.LinkTarget is { } target
            ? new CpioEntry.Symlink(guestPath, target)
            : new CpioEntry.File(guestPath, (int)File.GetUnixFileMode(hostPath), File.ReadAllBytes(hostPath));
    }

    /// <summary>Paths under <paramref name="root"/> matching a pattern whose segments may hold '*'.</summary>
    public static IReadOnlyList<string> Match(string root, string pattern, string package)
    {
        var current = new List<string> { root };
        foreach (var segment in pattern.Split('/'))
        {
            if (!segment.Contains('*'))
            {
                current = current.Select(d => Path.Combine(d, segment)).Where(Exists).ToList();
                continue;
            }
            var regex = new Regex("^" + Regex.Escape(segment).Replace(@"\*", ".*") + "$");
            current = current.Where(Directory.Exists)
                .SelectMany(d => new DirectoryInfo(d).EnumerateFileSystemInfos().Where(i => regex.IsMatch(i.Name)).Select(i => i.FullName))
                .Order(StringComparer.Ordinal).ToList();
        }
        var files = current.Where(p => !Directory.Exists(p) || new FileInfo(p).LinkTarget is not null).ToList();
        if (files.Count == 0 && !pattern.Contains('*'))
            throw new InfrastructureException(
                $"Package {package} has no '{pattern}' (unpacked in {root}). The package changed: fix its file list in vm-images/{ImageRecipe.RecipeFileName}.");
        return files;
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;
}
