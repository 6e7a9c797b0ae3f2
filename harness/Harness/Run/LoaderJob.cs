using System.Globalization;
using System.Text;

namespace Harness.Run;

/// <summary>
/// One load of one program in one mode, as the in-guest loader runs it (test_loader.c's run_subtest for one subtest):
/// the host decides everything (log level, flags, auxiliaries, test run, xlated, jited) from the program's BTF tags,
/// the loader only obeys. The loader gets the jobs as a file (<c>--jobs FILE</c>), one <see cref="ToLine"/> per job:
/// <code>OBJPATH\tPROG\tmode=priv|unpriv\tlog_level=N\tset=0xHEX\tclear=0xHEX\taux=A,B\trun=0|1\txlated=0|1\tjited=0|1\tbtf=PATH\tmaps=M:OFF=V,...</code>
/// Fields are separated by one tab, in this order; OBJPATH is where the object is on the target; <c>set</c> and
/// <c>clear</c> are BPF_F_* bits added to and removed from the flags the loader probed (testing_prog_flags); <c>aux</c>
/// lists the object's auxiliary programs autoloaded with PROG (empty: none); <c>run</c> asks for BPF_PROG_TEST_RUN,
/// <c>xlated</c> for the translated instructions, <c>jited</c> for the JIT image's bytes, each only after an accept;
/// <c>btf</c> is the target path of the object whose BTF the open takes (__btf_path; empty: the kernel's), <c>maps</c> the
/// map elements written before the test run (empty: none).
/// </summary>
public sealed record LoaderJob(string ObjectPath, string Program, bool Unprivileged, int LogLevel, uint FlagsSet, uint FlagsCleared,
    IReadOnlyList<string> Auxiliaries, bool TestRun, bool Xlated, bool Jited, string? BtfPath = null, string? MapValues = null)
{
    private const int FieldCount = 12;

    /// <summary>"object:program", "@unpriv" appended for the unprivileged load: the key of the loader's result line.</summary>
    public string Key => $"{Path.GetFileName(ObjectPath)}:{Program}" + (Unprivileged ? "@unpriv" : "");

    /// <summary>The job's line in the loader's job file (no newline). Throws <see cref="ArgumentException"/> for a name the format cannot carry.</summary>
    public string ToLine()
    {
        Plain(ObjectPath, "object path");
        Plain(Program, "program");
        foreach (var a in Auxiliaries)
            if (Plain(a, "auxiliary program").Contains(',')) throw new ArgumentException($"auxiliary program '{a}' contains a comma");
        return string.Join('\t',
            ObjectPath,
            Program,
            "mode=" + (Unprivileged ? "unpriv" : "priv"),
            "log_level=" + LogLevel.ToString(CultureInfo.InvariantCulture),
            $"set=0x{FlagsSet:x}",
            $"clear=0x{FlagsCleared:x}",
            "aux=" + string.Join(',', Auxiliaries),
            "run=" + Bit(TestRun),
            "xlated=" + Bit(Xlated),
            "jited=" + Bit(Jited),
            "btf=" + (BtfPath is null ? "" : Plain(BtfPath, "btf path")),
            "maps=" + (MapValues is null ? "" : Plain(MapValues, "map values")));
    }

    /// <summary>The whole job file: one line per job, each ending in a newline.</summary>
    public static string File(IEnumerable<LoaderJob> jobs)
    {
        var text = new StringBuilder();
        foreach (var job in jobs) text.Append(job.ToLine()).Append('\n');
        return text.ToString();
    }

    /// <summary>Reads a line <see cref="ToLine"/> wrote (what the loader does in C; here for the tests' fake targets). Throws <see cref="FormatException"/>.</summary>
    public static LoaderJob FromLine(string line)
    {
        var f = line.TrimEnd('\r', '\n').Split('\t');
        if (f.Length != FieldCount) throw new FormatException($"a job line has {FieldCount} tab-separated fields, this one {f.Length}: {line}");
        string Value(int i, string name) => f[i].StartsWith(name + "=", StringComparison.Ordinal)
            ? f[i][(name.Length + 1)..]
            : throw new FormatException($"field {i + 1} must be {name}=..., found '{f[i]}'");
        bool Flag(int i, string name) => Value(i, name) switch
        {
            "0" => false,
            "1" => true,
            var v => throw new FormatException($"{name} must be 0 or 1, found '{v}'"),
        };
        uint Hex(int i, string name) => Value(i, name) is { } v && v.StartsWith("0x", StringComparison.Ordinal)
            && uint.TryParse(v[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"{name} must be 0xHEX, found '{f[i]}'");
        var mode = Value(2, "mode") switch
        {
            "priv" => false,
            "unpriv" => true,
            var m => throw new FormatException($"mode must be priv or unpriv, found '{m}'"),
        };
        var aux = Value(6, "aux");
        return new LoaderJob(f[0], f[1], mode, int.Parse(Value(3, "log_level"), CultureInfo.InvariantCulture), Hex(4, "set"), Hex(5, "clear"),
            aux.Length == 0 ? [] : aux.Split(','), Flag(7, "run"), Flag(8, "xlated"), Flag(9, "jited"),
            Value(10, "btf") is { Length: > 0 } btf ? btf : null, Value(11, "maps") is { Length: > 0 } maps ? maps : null);
    }

    private static string Bit(bool b) => b ? "1" : "0";

    private static string Plain(string value, string what) =>
        value.Length == 0 ? throw new ArgumentException($"the {what} is empty")
        : value.IndexOfAny(['\t', '\n', '\r']) >= 0 ? throw new ArgumentException($"the {what} '{value}' contains a tab or a line break")
        : value;
}
