using System.Buffers.Binary;
using System.Globalization;

namespace Harness.Pipeline;

/// <summary>
/// Whether a finished cache entry (a directory renamed into place when complete) is still whole. The marker written
/// last lists every file with its size, so a file truncated or lost later (disk full, a copy cut short, a hand edit)
/// is caught before it is trusted. Entries from before the sizes were listed are checked by content: every ELF file's
/// section headers must lie inside the file, which a truncated vmlinux or BPF object fails.
/// </summary>
public static class CacheIntegrity
{
    /// <summary>Writes <paramref name="marker"/> in <paramref name="directory"/>: a first line (free text), then "SIZE PATH" per file.</summary>
    public static void WriteMarker(string directory, string marker, string firstLine)
    {
        var lines = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != marker)
            .Order(StringComparer.Ordinal)
            .Select(f => $"{new FileInfo(f).Length} {Path.GetRelativePath(directory, f)}");
        // Renamed into place: a reader (another run) sees the old marker or the new one, never half of one.
        var temporary = Path.Combine(directory, $"{marker}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        File.WriteAllLines(temporary, [firstLine, .. lines.Where(l => !l.Contains($"{marker}.tmp-", StringComparison.Ordinal))]);
        File.Move(temporary, Path.Combine(directory, marker), overwrite: true);
    }

    /// <summary>What is wrong with the entry, or null when it is whole. A missing marker is a problem.</summary>
    public static string? Problem(string directory, string marker)
    {
        var markerPath = Path.Combine(directory, marker);
        if (!File.Exists(markerPath)) return $"no {marker} marker (interrupted before it was finished)";
        var listed = 0;
        foreach (var line in File.ReadLines(markerPath).Skip(1))
        {
            var space = line.IndexOf(' ');
            if (space <= 0 || !long.TryParse(line[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var size)) continue;
            listed++;
            var file = Path.Combine(directory, line[(space + 1)..]);
            if (!File.Exists(file)) return $"{line[(space + 1)..]} is missing";
            var actual = new FileInfo(file).Length;
            if (actual != size) return $"{line[(space + 1)..]} has {actual} bytes, {size} when it was made (truncated or changed)";
        }
        if (listed > 0) return null;
        // An older marker without sizes: check what can be checked by content.
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            if (ElfProblem(file) is { } problem) return $"{Path.GetRelativePath(directory, file)}: {problem}";
        return null;
    }

    /// <summary>For an ELF file, why it is not whole (section or program headers past its end); null for a whole ELF or another kind of file.</summary>
    public static string? ElfProblem(string file)
    {
        using var stream = File.OpenRead(file);
        var header = new byte[64];
        var read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read < 4 || header[0] != 0x7f || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F') return null;
        if (read < 52) return $"ELF header cut short ({read} bytes)";
        var is64 = header[4] == 2;
        var little = header[5] == 1;
        ulong U(int offset, int size) => size switch
        {
            2 => little ? BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(offset)) : BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(offset)),
            4 => little ? BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(offset)) : BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(offset)),
            _ => little ? BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(offset)) : BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(offset)),
        };
        var (phoff, shoff) = is64 ? (U(0x20, 8), U(0x28, 8)) : (U(0x1C, 4), U(0x20, 4));
        var (phentsize, phnum, shentsize, shnum) = is64
            ? (U(0x36, 2), U(0x38, 2), U(0x3A, 2), U(0x3C, 2))
            : (U(0x2A, 2), U(0x2C, 2), U(0x2E, 2), U(0x30, 2));
        var length = (ulong)stream.Length;
        if (shnum > 0 && shoff + shnum * shentsize > length) return $"section headers end at {shoff + shnum * shentsize}, the file has {length} bytes (truncated)";
        if (phnum > 0 && phoff + phnum * phentsize > length) return $"program headers end at {phoff + phnum * phentsize}, the file has {length} bytes (truncated)";
        return null;
    }
}
