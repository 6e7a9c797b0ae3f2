using System.IO.Compression;
using System.Text;
using Harness.Pipeline;

namespace Harness.Images;

/// <summary>
/// Whether a guest image directory (images/ARCH/KEY) can be booted: complete (manifest and size marker written last)
/// and whole (every file its recorded size). Images made before the size marker are checked by content (the cpio
/// archive ends with its trailer, a gzip stream decompresses to its end) and adopted.
/// </summary>
public static class ImageIntegrity
{
    public const string CompleteMarker = ".complete";

    /// <summary>Why the image cannot be used (null when it can).</summary>
    public static string? Problem(string directory, string initramfsName)
    {
        if (!File.Exists(Path.Combine(directory, ImageBuilder.ManifestName))) return "not built (no manifest)";
        if (File.Exists(Path.Combine(directory, CompleteMarker))) return CacheIntegrity.Problem(directory, CompleteMarker);
        foreach (var name in new[] { initramfsName, ImageBuilder.HostPublicKeyName, GuestKeys.ClientKeyName })
        {
            var file = new FileInfo(Path.Combine(directory, name));
            if (!file.Exists || file.Length == 0) return $"{name} is {(file.Exists ? "empty" : "missing")}";
        }
        if (ArchiveProblem(Path.Combine(directory, initramfsName)) is { } problem) return problem;
        CacheIntegrity.WriteMarker(directory, CompleteMarker, "guest image (adopted)");
        return null;
    }

    /// <summary>A newc cpio archive ends with the "TRAILER!!!" entry (then zero padding); a truncated one does not.</summary>
    private static string? ArchiveProblem(string initramfs)
    {
        try
        {
            using var file = File.OpenRead(initramfs);
            Stream archive = initramfs.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
            var tail = new byte[4096];
            var kept = 0;
            var buffer = new byte[81920];
            int read;
            while ((read = archive.Read(buffer)) > 0)
            {
                // Keep the last 4 KiB seen.
                if (read >= tail.Length) { Array.Copy(buffer, read - tail.Length, tail, 0, tail.Length); kept = tail.Length; }
                else
                {
                    var keep = Math.Min(kept, tail.Length - read);
                    Array.Copy(tail, kept - keep, tail, 0, keep);
                    Array.Copy(buffer, 0, tail, keep, read);
                    kept = keep + read;
                }
            }
            return Encoding.ASCII.GetString(tail, 0, kept).Contains("TRAILER!!!", StringComparison.Ordinal)
                ? null : $"{Path.GetFileName(initramfs)} has no cpio trailer (truncated)";
        }
        catch (InvalidDataException e)
        {
            return $"{Path.GetFileName(initramfs)}: {e.Message} (truncated)";
        }
    }
}
