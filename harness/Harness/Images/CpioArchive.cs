using System.Text;

namespace Harness.Images;

/// <summary>One entry of an initramfs: a directory, a regular file, a symlink or a character device.</summary>
public abstract record CpioEntry(string Path, int Mode)
{
    public sealed record Directory(string Path, int Mode) : CpioEntry(Path, Mode);

    public sealed record File(string Path, int Mode, byte[] Contents) : CpioEntry(Path, Mode);

    public sealed record Symlink(string Path, string Target) : CpioEntry(Path, 0b111_111_111);

    /// <summary>A device node; /dev/console must exist before init runs, or init gets no stdout.</summary>
    public sealed record CharDevice(string Path, int Mode, int Major, int Minor) : CpioEntry(Path, Mode);
}

/// <summary>
/// Writes the kernel's initramfs format (cpio "newc", Documentation/driver-api/early-userspace/buffer-format.rst)
/// in-process, so every entry is owned by root without fakeroot and the archive is byte-for-byte reproducible:
/// entries sorted by path, parents first, mtime 0, inode numbers in order.
/// </summary>
public static class CpioArchive
{
    private const int TypeDirectory = 0x4000, TypeFile = 0x8000, TypeSymlink = 0xA000, TypeCharDevice = 0x2000;

    public static void Write(Stream output, IEnumerable<CpioEntry> entries)
    {
        var inode = 1;
        foreach (var entry in entries.OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            var (type, data, nlink, major, minor) = entry switch
            {
                CpioEntry.Directory => (TypeDirectory, Array.Empty<byte>(), 2, 0, 0),
                CpioEntry.File f => (TypeFile, f.Contents, 1, 0, 0),
                CpioEntry.Symlink s => (TypeSymlink, Encoding.UTF8.GetBytes(s.Target), 1, 0, 0),
                CpioEntry.CharDevice c => (TypeCharDevice, Array.Empty<byte>(), 1, c.Major, c.Minor),
                _ => throw new ArgumentOutOfRangeException(nameof(entries), entry, "unknown cpio entry"),
            };
            WriteEntry(output, entry.Path.TrimStart('/'), inode++, type | (entry.Mode & 0xFFF), nlink, data, major, minor);
        }
        WriteEntry(output, "TRAILER!!!", 0, 0, 1, [], 0, 0);
    }

    private static void WriteEntry(Stream output, string name, int inode, int mode, int nlink, byte[] data, int rdevMajor, int rdevMinor)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        var header = new StringBuilder("070701");
        foreach (var field in new[] { inode, mode, 0, 0, nlink, 0, data.Length, 0, 0, rdevMajor, rdevMinor, nameBytes.Length, 0 })
            header.Append(field.ToString("x8"));
        var headerBytes = Encoding.ASCII.GetBytes(header.ToString());
        output.Write(headerBytes);
        output.Write(nameBytes);
        Pad(output, headerBytes.Length + nameBytes.Length);
        output.Write(data);
        Pad(output, data.Length);
    }

    private static void Pad(Stream output, int length)
    {
        var padding = (4 - length % 4) % 4;
        for (var i = 0; i < padding; i++) output.WriteByte(0);
    }
}
