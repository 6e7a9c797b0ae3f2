using Harness.Errors;
using Harness.Verdicts.Elf;

namespace Harness.Verdicts;

/// <summary>
/// Reads every program's expectations straight from a compiled BPF object (.bpf.o): its ELF symbol
/// table and section names say which functions are programs and in which SEC(), its .BTF decl tags say
/// what the verifier must do. No bpftool, no libbpf: a small reader of our own, so the host needs nothing.
/// </summary>
public static partial class BtfExpectationReader
{
    /// <summary>Reads one object file. Throws <see cref="BadInputException"/> if it is not a usable BPF object.</summary>
    public static IReadOnlyList<ProgramExpectation> Read(string objectPath)
    {
        if (!File.Exists(objectPath))
            throw new BadInputException($"{objectPath}: BPF object not found. Compile it first (clang-19 -target bpf -g -O2 -c X.bpf.c -o X.bpf.o).");
        return Parse(File.ReadAllBytes(objectPath), Path.GetFileName(objectPath), objectPath);
    }

    /// <summary>Reads every *.bpf.o directly in <paramref name="directory"/>, in file name order.</summary>
    public static IReadOnlyList<ProgramExpectation> ReadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            throw new BadInputException($"{directory}: not a directory of BPF objects.");
        return Directory.GetFiles(directory, "*.bpf.o").Order(StringComparer.Ordinal).SelectMany(Read).ToArray();
    }

    /// <summary>
    /// Reads the programs of an object held in memory. <paramref name="objectName"/> becomes
    /// <see cref="ProgramExpectation.Object"/>; <paramref name="displayPath"/> names the file in errors.
    /// </summary>
    public static IReadOnlyList<ProgramExpectation> Parse(byte[] data, string objectName, string? displayPath = null)
    {
        var where = displayPath ?? objectName;
        ElfObject elf;
        IReadOnlyList<ElfSymbol> symbols;
        try
        {
            elf = ElfObject.Parse(data);
            symbols = elf.Symbols();
        }
        catch (FormatException e)
        {
            throw new BadInputException($"{where}: not a readable BPF object: {e.Message}. Rebuild it with clang-19 -target bpf -g -O2.", e);
        }
        if (!elf.IsBpf)
            throw new BadInputException($"{where}: ELF machine {elf.Machine} is not BPF (247). Compile with clang-19 -target bpf.");

        var btfSection = elf.Section(".BTF")
            ?? throw new BadInputException($"{where}: has no .BTF section, so it carries no expectations. Compile with -g (clang-19 -target bpf -g -O2).");
        IReadOnlyList<BtfType> btf;
        try
        {
            btf = BtfSection.Parse(elf.Contents(btfSection), elf.View.BigEndian);
        }
        catch (FormatException e)
        {
            throw new BadInputException($"{where}: corrupt .BTF section: {e.Message}. Rebuild the object.", e);
        }

        var funcs = new Dictionary<string, BtfType>(StringComparer.Ordinal);
        var tagsByFunc = new Dictionary<uint, List<string>>();
        foreach (var t in btf)
        {
            if (t.Kind == BtfKind.Func) funcs.TryAdd(t.Name, t);
            else if (t.Kind == BtfKind.DeclTag && t.ComponentIndex == -1)
            {
                if (!tagsByFunc.TryGetValue(t.Type, out var list)) tagsByFunc[t.Type] = list = [];
                list.Add(t.Name);
            }
        }

        return ProgramSymbols(elf, symbols)
            .SelectMany(p =>
            {
                if (!funcs.TryGetValue(p.Symbol.Name, out var func))
                    return (IEnumerable<ProgramExpectation>)[new ProgramExpectation
                    {
                        Object = objectName, Program = p.Symbol.Name, Section = p.Section.Name,
                        Problems = [$"no BTF FUNC named '{p.Symbol.Name}' in .BTF: the object was not compiled with -g, or was stripped"],
                    }];
                var tags = tagsByFunc.TryGetValue((uint)func.Id, out var found) ? found : [];
                return Rows(FromTags(objectName, p.Symbol.Name, p.Section.Name, tags));
            })
            .ToArray();
    }

    /// <summary>
    /// Programs as libbpf sees them: function symbols in executable sections other than .text (global
    /// functions in .text are subprograms), in section order then offset, as libbpf lists them.
    /// </summary>
    private static IEnumerable<(ElfSymbol Symbol, ElfSection Section)> ProgramSymbols(ElfObject elf, IReadOnlyList<ElfSymbol> symbols) =>
        symbols
            .Where(s => s.Type == ElfSymbol.TypeFunc && s.Binding != ElfSymbol.BindLocal
                        && s.SectionIndex > 0 && s.SectionIndex < elf.Sections.Count)
            .Select(s => (Symbol: s, Section: elf.Sections[s.SectionIndex]))
            .Where(p => p.Section.IsExecutable && p.Section.Name != ".text")
            .OrderBy(p => p.Section.Index).ThenBy(p => p.Symbol.Value);
}
