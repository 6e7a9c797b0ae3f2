using System.Text;
using Harness.Images;

namespace Harness.Tests.Images;

public class CpioArchiveTests
{
    [Test]
    public void Writes_newc_entries_the_kernel_can_unpack()
    {
        var output = new MemoryStream();

        CpioArchive.Write(output, [
            new CpioEntry.File("init", 0b111_101_101, "#!/bin/sh\n"u8.ToArray()),
            new CpioEntry.Directory("dev", 0b111_101_101),
            new CpioEntry.CharDevice("dev/console", 0b110_000_000, 5, 1),
            new CpioEntry.Symlink("lib64/ld.so", "/lib/ld.so"),
        ]);

        var entries = NewcReader.Read(output.ToArray());
        Assert.That(entries.Select(e => e.Name), Is.EqualTo(new[] { "dev", "dev/console", "init", "lib64/ld.so", "TRAILER!!!" }));
        Assert.That(entries[0].Mode, Is.EqualTo(0x4000 | 0b111_101_101));
        Assert.That((entries[1].Mode, entries[1].RdevMajor, entries[1].RdevMinor), Is.EqualTo((0x2000 | 0b110_000_000, 5, 1)));
        Assert.That(Encoding.ASCII.GetString(entries[2].Data), Is.EqualTo("#!/bin/sh\n"));
        Assert.That(Encoding.ASCII.GetString(entries[3].Data), Is.EqualTo("/lib/ld.so"));
        Assert.That(entries.All(e => e.Uid == 0 && e.Mtime == 0), Is.True, "root-owned, reproducible");
    }

    [Test]
    public void Writes_the_same_bytes_for_the_same_entries_in_any_order()
    {
        CpioEntry[] entries = [new CpioEntry.File("b", 0b110_100_100, [1, 2, 3]), new CpioEntry.Directory("a", 0b111_101_101)];
        var first = new MemoryStream();
        var second = new MemoryStream();

        CpioArchive.Write(first, entries);
        CpioArchive.Write(second, entries.Reverse());

        Assert.That(second.ToArray(), Is.EqualTo(first.ToArray()));
    }

    /// <summary>A newc reader for the tests, after the kernel's init/initramfs.c.</summary>
    private static class NewcReader
    {
        public sealed record Entry(string Name, int Mode, int Uid, int Mtime, int RdevMajor, int RdevMinor, byte[] Data);

        public static List<Entry> Read(byte[] archive)
        {
            var entries = new List<Entry>();
            var at = 0;
            while (at < archive.Length)
            {
                Assert.That(Encoding.ASCII.GetString(archive, at, 6), Is.EqualTo("070701"));
                int Field(int i) => Convert.ToInt32(Encoding.ASCII.GetString(archive, at + 6 + i * 8, 8), 16);
                var (mode, uid, mtime, size, rmaj, rmin, nameSize) = (Field(1), Field(2), Field(5), Field(6), Field(9), Field(10), Field(11));
                var name = Encoding.ASCII.GetString(archive, at + 110, nameSize - 1);
                at = Align(at + 110 + nameSize);
                entries.Add(new Entry(name, mode, uid, mtime, rmaj, rmin, archive[at..(at + size)]));
                at = Align(at + size);
                if (name == "TRAILER!!!") break;
            }
            return entries;
        }

        private static int Align(int n) => (n + 3) & ~3;
    }
}
