using System.IO.Compression;
using Harness.Config;
using Harness.Errors;
using Harness.Pipeline;
using Harness.Processes;

namespace Harness.Images;

/// <summary>
/// The Image stage: builds (or finds in the cache) the guest initramfs for one arch from vm-images/ and
/// Debian packages. The result lives in images/ARCH/KEY; it is written into a temp directory and renamed
/// into place, so a crash or a concurrent run never leaves half an image behind.
/// </summary>
public sealed class ImageBuilder(IProcessRunner runner, CacheLayout cache, string vmImagesDirectory)
{
    public const string InitramfsName = "initramfs.cpio";
    public const string HostPublicKeyName = "host_ed25519.pub";
    public const string ManifestName = "inputs.txt";

    public static ImageBuilder For(StageContext context) =>
        new(PrepareLimit.For(context, "guest image"), context.Cache, context.Project.VmImagesDirectory);

    public async Task<GuestImage> RunAsync(ImageRequest request, CancellationToken cancellationToken)
    {
        var recipe = ImageRecipe.Load(vmImagesDirectory);
        foreach (var extra in request.ExtraFiles.Where(f => !File.Exists(f.HostPath)))
            throw new BadInputException($"Image extra file {extra.HostPath} (for {extra.GuestPath}) does not exist. Build it first or fix the path.");

        var arch = request.Arch;
        var packages = new DebianPackages(runner, cache);
        var resolved = await packages.ResolveAsync(recipe.Packages.Select(p => p.Name).ToArray(), arch.DebianArch, cancellationToken);
        var manifest = ImageKey.Manifest(recipe, arch.Name, arch.GnuTriplet, resolved, request.ExtraFiles, request.Gzip);
        var key = ImageKey.Of(manifest);
        var directory = cache.Image(arch.Name, key);
        var initramfsName = InitramfsName + (request.Gzip ? ".gz" : "");
        if (ImageIntegrity.Problem(directory, initramfsName) is not null)
        {
            // Half-written or damaged since (truncated initramfs, lost key): made again from the cached packages.
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            await BuildAsync(recipe, request, resolved, manifest, directory, initramfsName, packages, cancellationToken);
        }

        return new GuestImage(arch.Name, Path.Combine(directory, initramfsName),
            (await File.ReadAllTextAsync(Path.Combine(directory, HostPublicKeyName), cancellationToken)).Trim(),
            Path.Combine(directory, GuestKeys.ClientKeyName), key);
    }

    private async Task BuildAsync(ImageRecipe recipe, ImageRequest request, IReadOnlyList<ResolvedPackage> resolved,
        string manifest, string directory, string initramfsName, DebianPackages packages, CancellationToken cancellationToken)
    {
        var ordered = recipe.Packages.Select(s => resolved.Single(r => r.Name == s.Name)).ToArray();
        var roots = await packages.ExtractAsync(ordered, cancellationToken);
        var unpacked = recipe.Packages.Zip(roots).ToArray();

        var temp = directory + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(temp);
        try
        {
            var keys = await new GuestKeys(runner).RunAsync(temp, cancellationToken);
            var entries = ImageContents.Assemble(recipe, request.Arch.GnuTriplet, unpacked, keys, request.ExtraFiles);
            await using (var file = File.Create(Path.Combine(temp, initramfsName)))
            {
                if (request.Gzip)
                {
                    await using var gzip = new GZipStream(file, CompressionLevel.Optimal);
                    CpioArchive.Write(gzip, entries);
                }
                else CpioArchive.Write(file, entries);
            }
            await File.WriteAllTextAsync(Path.Combine(temp, HostPublicKeyName), keys.HostPublicKey + "\n", cancellationToken);
            // Written last: its presence marks a complete image.
            await File.WriteAllTextAsync(Path.Combine(temp, ManifestName), manifest, cancellationToken);
            Pipeline.CacheIntegrity.WriteMarker(temp, ImageIntegrity.CompleteMarker, "guest image");
            Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
            try
            {
                Directory.Move(temp, directory);
            }
            catch (IOException) when (File.Exists(Path.Combine(directory, ManifestName)))
            {
                // A concurrent run finished the same image first; use theirs (keys included).
            }
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }
}
