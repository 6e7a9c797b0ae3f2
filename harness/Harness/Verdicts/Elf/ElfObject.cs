namespace Harness.Verdicts.Elf;

/// <summary>One section header of an ELF64 object, with its resolved name.</summary>
internal sealed record ElfSection(int Index, string Name, uint Type, ulong Flags, long Offset, long Size, uint Link, long EntrySize)
{
    public const uint SymTab = 2;
    public const uint NoBits = 8;
    public const ulong FlagExecInstr = 0x4;

    public bool IsExecutable => (Flags & FlagExecInstr) != 0;
}

/// <summary>One ELF64 symbol with its resolved name.</summary>
internal sealed record ElfSymbol(string Name, byte Info, int SectionIndex, ulong Value, ulong Size)
{
    public const int TypeFunc = 2;
    public const int BindLocal = 0;
    public const int BindGlobal = 1;
    public const int BindWeak = 2;

    public int Type => Info & 0xf;
    public int Binding => Info >> 4;
}

/// <summary>
/// The parts of an ELF64 relocatable object (a compiled .bpf.o) that expectations need: section headers
/// with names, the symbol table, and raw section contents. Both byte orders are read (clang's
/// -target bpf is little-endian, bpfeb big-endian); ELF32 and non-ELF files are refused.
/// </summary>
internal sealed class ElfObject
{
    private const ushort MachineBpf = 247;

    private ElfObject(ByteView view, IReadOnlyList<ElfSection> sections, ushort machine)
    {
        View = view;
        Sections = sections;
        Machine = machine;
    }

    public ByteView View { get; }
    public IReadOnlyList<ElfSection> Sections { get; }
    public ushort Machine { get; }
    public bool IsBpf => Machine == MachineBpf;

    /// <summary>Parses the headers; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static ElfObject Parse(byte[] data)
    {
        if (data.Length < 16 || data[0] != 0x7f || data[1] != (byte)'E' || data[2] != (byte)'L' || data[3] != (byte)'F')
            throw new FormatException("not an ELF file (no \\x7fELF magic)");
        if (data[4] != 2)
            throw new FormatException($"ELF class {data[4]} is not ELF64; BPF objects are always 64-bit");
        var bigEndian = data[5] switch
        {
            1 => false,
            2 => true,
            var d => throw new FormatException($"unknown ELF data encoding {d} (expected 1 little-endian or 2 big-endian)"),
        };
        var v = new ByteView(data, bigEndian);
        v.Require(0, 64, "ELF header");
        var machine = v.U16(0x12);
        var shoff = (long)v.U64(0x28);
        var shentsize = v.U16(0x3A);
        long shnum = v.U16(0x3C);
        long shstrndx = v.U16(0x3E);
        if (shoff == 0) throw new FormatException("the ELF file has no section headers");
        if (shentsize < 64) throw new FormatException($"section header size {shentsize} is smaller than ELF64's 64 bytes");
        v.Require(shoff, shentsize, "section header 0");
        // Extended numbering: with more than 0xff00 sections the real counts live in section 0.
        if (shnum == 0) shnum = (long)v.U64(shoff + 0x20);
        if (shstrndx == 0xffff) shstrndx = v.U32(shoff + 0x28);
        v.Require(shoff, shnum * shentsize, "section header table");

        var raw = new (uint Name, uint Type, ulong Flags, long Offset, long Size, uint Link, long EntSize)[shnum];
        for (var i = 0; i < shnum; i++)
        {
            var h = shoff + i * shentsize;
            raw[i] = (v.U32(h), v.U32(h + 4), v.U64(h + 8), (long)v.U64(h + 0x18), (long)v.U64(h + 0x20), v.U32(h + 0x28), (long)v.U64(h + 0x38));
            if (raw[i].Type != ElfSection.NoBits && i > 0) v.Require(raw[i].Offset, raw[i].Size, $"section {i}");
        }
        if (shstrndx >= shnum) throw new FormatException($"section name table index {shstrndx} is out of range ({shnum} sections)");
        var names = raw[shstrndx];
        var sections = raw.Select((s, i) => new ElfSection(i,
            i == 0 ? "" : v.CString(names.Offset + s.Name, names.Offset, names.Offset + names.Size, $"name of section {i}"),
            s.Type, s.Flags, s.Offset, s.Size, s.Link, s.EntSize)).ToArray();
        return new ElfObject(v, sections, machine);
    }

    public ElfSection? Section(string name) => Sections.FirstOrDefault(s => s.Name == name);

    public byte[] Contents(ElfSection section) =>
        View.Data.AsSpan((int)section.Offset, (int)section.Size).ToArray();

    /// <summary>All symbols of the (single) SHT_SYMTAB, names resolved through its linked string table.</summary>
    public IReadOnlyList<ElfSymbol> Symbols()
    {
        var symtab = Sections.FirstOrDefault(s => s.Type == ElfSection.SymTab);
        if (symtab is null) return [];
        if (symtab.Link >= Sections.Count) throw new FormatException($"the symbol table links to string table {symtab.Link}, which does not exist");
        var strtab = Sections[(int)symtab.Link];
        var entry = symtab.EntrySize == 0 ? 24 : symtab.EntrySize;
        var symbols = new List<ElfSymbol>();
        for (long off = symtab.Offset; off + entry <= symtab.Offset + symtab.Size; off += entry)
        {
            var nameOff = View.U32(off);
            var name = nameOff == 0 ? "" : View.CString(strtab.Offset + nameOff, strtab.Offset, strtab.Offset + strtab.Size, "symbol name");
            symbols.Add(new ElfSymbol(name, View.U8(off + 4), View.U16(off + 6), View.U64(off + 8), View.U64(off + 16)));
        }
        return symbols;
    }
}
