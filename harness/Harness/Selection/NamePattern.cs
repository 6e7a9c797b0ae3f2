using Harness.Errors;
using Harness.Verdicts;

namespace Harness.Selection;

/// <summary>
/// One test_progs-style name pattern: <see cref="Test"/> for the object, optionally <see cref="Subtest"/> for the program
/// ("TEST/SUBTEST", or the harness's own "object.bpf.o:program"). Both are globs with '*' only, as test_progs'
/// glob_match; -t and -b patterns are substrings, which test_progs makes globs by wrapping them in '*'.
/// </summary>
/// <param name="Test">Glob for the object: its stem ("async_mem") or its file name ("async_mem.bpf.o"); without a subtest also a program name.</param>
/// <param name="Subtest">Glob for the program: its name, "NAME@unpriv" for the unprivileged row, or its __description; null for every program.</param>
/// <param name="Written">The pattern as given, with where it came from: "-t mem", "DENYLIST.aarch64:3 exceptions".</param>
/// <param name="Reason">A denylist line's comment (the text after '#'); null for command-line patterns.</param>
public sealed record NamePattern(string Test, string? Subtest, string Written, string? Reason = null)
{
    /// <summary>
    /// Reads one pattern. <paramref name="glob"/> false (-t, -b) matches a substring, as test_progs' insert_test does
    /// with "*%s*". An empty object or program part, or a second '/', is bad input naming <paramref name="where"/>.
    /// </summary>
    public static NamePattern Parse(string text, bool glob, string where, string? reason = null)
    {
        var separator = text.IndexOf('/') is var slash and >= 0 ? slash : text.IndexOf(':');
        var test = separator >= 0 ? text[..separator] : text;
        var subtest = separator >= 0 ? text[(separator + 1)..] : null;
        if (test.Length == 0 || subtest is { Length: 0 } || subtest?.Contains('/') == true || text.Any(char.IsWhiteSpace))
            throw new BadInputException($"{where}: '{text}' is not a name pattern. Write OBJECT, PROGRAM, OBJECT/PROGRAM or OBJECT.bpf.o:PROGRAM " +
                                        "('*' matches any text; no spaces), e.g. async_mem/mem_read_*.");
        string Wrap(string part) => glob ? part : $"*{part}*";
        return new NamePattern(Wrap(test), subtest is null ? null : Wrap(subtest), $"{where} {text}", reason);
    }

    /// <summary>
    /// Whether the pattern names this row. An object part matches the object's stem or file name; a bare pattern
    /// also matches the program ("NAME" both rows, "NAME@unpriv" the unprivileged one); a program part matches the
    /// program name, "NAME@unpriv" or the __description (test_progs' subtest name, " @unpriv" added for that row).
    /// </summary>
    public bool Matches(ProgramExpectation row)
    {
        var objects = ObjectNames(row);
        if (Subtest is null) return objects.Any(o => Glob.Match(o, Test)) || ProgramNames(row).Any(p => Glob.Match(p, Test));
        return objects.Any(o => Glob.Match(o, Test)) && SubtestNames(row).Any(s => Glob.Match(s, Subtest));
    }

    /// <summary>"async_mem" and "async_mem.bpf.o" for async_mem.bpf.o.</summary>
    public static IEnumerable<string> ObjectNames(ProgramExpectation row)
    {
        yield return Stem(row.Object);
        yield return row.Object;
    }

    /// <summary>The object's name without ".bpf.o" (or ".o"): test_progs' test name of a verifier_*.c file.</summary>
    public static string Stem(string objectFile) =>
        objectFile.EndsWith(".bpf.o", StringComparison.Ordinal) ? objectFile[..^6]
        : objectFile.EndsWith(".o", StringComparison.Ordinal) ? objectFile[..^2] : objectFile;

    private static IEnumerable<string> ProgramNames(ProgramExpectation row)
    {
        yield return row.Program;
        if (row.Unprivileged) yield return row.Program + ProgramExpectation.UnprivSuffix;
    }

    private static IEnumerable<string> SubtestNames(ProgramExpectation row)
    {
        foreach (var name in ProgramNames(row)) yield return name;
        if (row.Description is { } description)
        {
            yield return description;
            if (row.Unprivileged) yield return description + " " + ProgramExpectation.UnprivSuffix;
        }
    }
}

/// <summary>test_progs' glob_match (adapted there from perf): '*' matches any run of characters, everything else itself.</summary>
public static class Glob
{
    public static bool Match(string text, string pattern) => Match(text.AsSpan(), pattern.AsSpan());

    private static bool Match(ReadOnlySpan<char> text, ReadOnlySpan<char> pattern)
    {
        while (text.Length > 0 && pattern.Length > 0 && pattern[0] != '*')
        {
            if (text[0] != pattern[0]) return false;
            text = text[1..];
            pattern = pattern[1..];
        }
        if (pattern.Length > 0 && pattern[0] == '*')
        {
            pattern = pattern.TrimStart('*');
            if (pattern.Length == 0) return true;
            for (; text.Length > 0; text = text[1..])
                if (Match(text, pattern)) return true;
        }
        return text.Length == 0 && pattern.Length == 0;
    }
}
