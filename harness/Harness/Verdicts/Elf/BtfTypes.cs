namespace Harness.Verdicts.Elf;

/// <summary>BTF type kinds (include/uapi/linux/btf.h).</summary>
internal enum BtfKind
{
    Unknown = 0, Int = 1, Ptr = 2, Array = 3, Struct = 4, Union = 5, Enum = 6, Fwd = 7, Typedef = 8,
    Volatile = 9, Const = 10, Restrict = 11, Func = 12, FuncProto = 13, Var = 14, DataSec = 15,
    Float = 16, DeclTag = 17, TypeTag = 18, Enum64 = 19,
}

/// <summary>
/// One BTF type record. <see cref="Type"/> is the referenced type id for kinds that refer to one (FUNC,
/// DECL_TAG, ...); <see cref="Vlen"/> is the linkage for FUNC; <see cref="ComponentIndex"/> is -1 for a
/// DECL_TAG on the declaration itself and the parameter/member index otherwise.
/// </summary>
internal sealed record BtfType(int Id, BtfKind Kind, string Name, int Vlen, uint Type, int ComponentIndex)
{
    public const int LinkageGlobal = 1;
}

/// <summary>
/// Reads the .BTF section: header, type section and string section. Only FUNC and DECL_TAG are
/// interpreted; every other kind is stepped over by its size rule, so ids stay right (id 0 is void,
/// the first record is id 1).
/// </summary>
internal static class BtfSection
{
    private const ushort Magic = 0xEB9F;

    public static IReadOnlyList<BtfType> Parse(byte[] data, bool bigEndian)
    {
        var v = new ByteView(data, bigEndian);
        v.Require(0, 24, "BTF header");
        var magic = v.U16(0);
        if (magic != Magic)
            throw new FormatException(magic == 0x9FEB
                ? "BTF magic is byte-swapped: the .BTF section's byte order differs from the ELF header's"
                : $"bad BTF magic 0x{magic:x4} (expected 0xeb9f)");
        if (v.U8(2) != 1) throw new FormatException($"BTF version {v.U8(2)} is not supported (expected 1)");
        long hdrLen = v.U32(4);
        long typeOff = hdrLen + v.U32(8), typeLen = v.U32(12);
        long strOff = hdrLen + v.U32(16), strLen = v.U32(20);
        v.Require(typeOff, typeLen, "BTF type section");
        v.Require(strOff, strLen, "BTF string section");

        string Name(uint off) => off == 0 ? "" : v.CString(strOff + off, strOff, strOff + strLen, "BTF name");

        var types = new List<BtfType>();
        long p = typeOff, end = typeOff + typeLen;
        for (var id = 1; p < end; id++)
        {
            if (p + 12 > end) throw new FormatException($"BTF type {id} is truncated at the end of the type section");
            var nameOff = v.U32(p);
            var info = v.U32(p + 4);
            var sizeOrType = v.U32(p + 8);
            var kind = (BtfKind)((info >> 24) & 0x1f);
            var vlen = (int)(info & 0xffff);
            p += 12;
            var componentIndex = kind == BtfKind.DeclTag ? v.I32(p) : -1;
            p += TrailingBytes(kind, vlen, id);
            if (p > end) throw new FormatException($"BTF type {id} ({kind}) runs past the end of the type section");
            types.Add(new BtfType(id, kind, Name(nameOff), vlen, sizeOrType, componentIndex));
        }
        return types;
    }

    /// <summary>The size of the data that follows the 12-byte common record, per btf.h.</summary>
    private static long TrailingBytes(BtfKind kind, int vlen, int id) => kind switch
    {
        BtfKind.Int => 4,
        BtfKind.Ptr or BtfKind.Fwd or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const
            or BtfKind.Restrict or BtfKind.Func or BtfKind.Float or BtfKind.TypeTag => 0,
        BtfKind.Array => 12,
        BtfKind.Struct or BtfKind.Union => 12L * vlen,
        BtfKind.Enum => 8L * vlen,
        BtfKind.FuncProto => 8L * vlen,
        BtfKind.Var => 4,
        BtfKind.DataSec => 12L * vlen,
        BtfKind.DeclTag => 4,
        BtfKind.Enum64 => 12L * vlen,
        _ => throw new FormatException($"BTF type {id} has unknown kind {(int)kind}; its size cannot be known, so the rest cannot be read"),
    };
}
