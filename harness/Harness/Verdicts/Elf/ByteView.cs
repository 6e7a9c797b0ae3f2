using System.Buffers.Binary;
using System.Text;

namespace Harness.Verdicts.Elf;

/// <summary>
/// Bounds-checked reads of fixed-width integers and NUL-terminated strings from a byte array in one
/// byte order. Every read that would leave the array throws <see cref="FormatException"/> with the
/// offset, so a truncated or corrupt object never reads garbage.
/// </summary>
internal sealed class ByteView(byte[] data, bool bigEndian)
{
    public byte[] Data { get; } = data;
    public bool BigEndian { get; } = bigEndian;
    public int Length => Data.Length;

    public byte U8(long offset) => Slice(offset, 1)[0];

    public ushort U16(long offset) => BigEndian
        ? BinaryPrimitives.ReadUInt16BigEndian(Slice(offset, 2))
        : BinaryPrimitives.ReadUInt16LittleEndian(Slice(offset, 2));

    public uint U32(long offset) => BigEndian
        ? BinaryPrimitives.ReadUInt32BigEndian(Slice(offset, 4))
        : BinaryPrimitives.ReadUInt32LittleEndian(Slice(offset, 4));

    public int I32(long offset) => unchecked((int)U32(offset));

    public ulong U64(long offset) => BigEndian
        ? BinaryPrimitives.ReadUInt64BigEndian(Slice(offset, 8))
        : BinaryPrimitives.ReadUInt64LittleEndian(Slice(offset, 8));

    /// <summary>The NUL-terminated UTF-8 string at <paramref name="offset"/>, which must lie in [start, end).</summary>
    public string CString(long offset, long start, long end, string what)
    {
        if (offset < start || offset >= end)
            throw new FormatException($"{what} offset {offset - start} is outside its string table (size {end - start})");
        var span = Data.AsSpan((int)offset, (int)(end - offset));
        var nul = span.IndexOf((byte)0);
        if (nul < 0) throw new FormatException($"{what} at offset {offset - start} is not NUL-terminated");
        return Encoding.UTF8.GetString(span[..nul]);
    }

    /// <summary>Checks that [offset, offset+size) lies inside the data.</summary>
    public void Require(long offset, long size, string what)
    {
        if (offset < 0 || size < 0 || offset + size > Length)
            throw new FormatException($"{what} (offset {offset}, size {size}) extends past the end of the file ({Length} bytes)");
    }

    private ReadOnlySpan<byte> Slice(long offset, int size)
    {
        Require(offset, size, "read");
        return Data.AsSpan((int)offset, size);
    }
}
