using System.Text.Json;

namespace Harness.Verdicts;

/// <summary>
/// Reads the in-guest loader's stdout: one JSON object per program per line, e.g.
/// {"object":"async_mem.bpf.o","program":"mem_read_in_bounds","section":"tc","verdict":"accept","errno":0,
///  "error":"","insns_processed":23,"peak_states":2,"total_states":3,"max_states_per_insn":0,
///  "verify_usec":120,"log":"...","kmsg":"...","mode":"priv","unpriv_disabled":0,"retval":null,"run_errno":0,
///  "run_error":"","xlated":null,"jited_hex":null}. "kmsg" (the kernel messages of that load) and the fields after
/// it are optional (an older loader has none): "mode" is "priv" or "unpriv"; "unpriv_disabled" 1 when an unprivileged
/// load ran with kernel.unprivileged_bpf_disabled set; "retval" is BPF_PROG_TEST_RUN's return value or null (not run,
/// or the run failed: "run_errno"/"run_error" say why); "xlated" the xlated text and "jited_hex" the JIT image, or null.
/// Lines starting with "#" are notes (<see cref="IsNote"/>). A line that is not such an object becomes a <see cref="LoaderOutputProblem"/> naming the line, so a loader
/// that crashes half-way still yields every result it printed before.
/// </summary>
public static class LoaderOutputParser
{
    private static readonly string[] Required =
    [
        "object", "program", "section", "verdict", "errno", "error", "insns_processed", "peak_states",
        "total_states", "max_states_per_insn", "verify_usec", "log",
    ];

    public static LoaderOutput Parse(string text)
    {
        var results = new List<LoadResult>();
        var problems = new List<LoaderOutputProblem>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0 || IsNote(line)) continue;
            try
            {
                results.Add(ParseLine(line));
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                problems.Add(new LoaderOutputProblem(i + 1, Shorten(line), e.Message));
            }
        }
        return new LoaderOutput(results, problems);
    }

    /// <summary>
    /// A line that starts with "#" is the loader talking, not a result: "# held before OBJ:PROG" while --hold-before
    /// keeps it waiting. It shows the loader is alive.
    /// </summary>
    public static bool IsNote(string line) => line.StartsWith('#');

    /// <summary>The note the loader prints once when it stops before a program (--hold-before).</summary>
    public const string HeldNote = "# held before ";

    /// <summary>Parses one line; throws <see cref="FormatException"/> or <see cref="JsonException"/> saying what is wrong.</summary>
    public static LoadResult ParseLine(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var o = doc.RootElement;
        if (o.ValueKind != JsonValueKind.Object) throw new FormatException($"expected a JSON object, found {o.ValueKind}");
        var missing = Required.Where(k => !o.TryGetProperty(k, out _)).ToArray();
        if (missing.Length > 0) throw new FormatException($"missing field(s) {string.Join(", ", missing)}");

        return new LoadResult
        {
            Object = Str(o, "object"),
            Program = Str(o, "program"),
            Section = Str(o, "section"),
            Verdict = Str(o, "verdict") switch
            {
                "accept" => LoadVerdict.Accept,
                "reject" => LoadVerdict.Reject,
                "error" => LoadVerdict.Error,
                var v => throw new FormatException($"field verdict is '{v}'; expected accept, reject or error"),
            },
            Errno = (int)Num(o, "errno"),
            Error = Str(o, "error"),
            InsnsProcessed = Num(o, "insns_processed"),
            PeakStates = Num(o, "peak_states"),
            TotalStates = Num(o, "total_states"),
            MaxStatesPerInsn = Num(o, "max_states_per_insn"),
            VerifyUsec = Num(o, "verify_usec"),
            Log = Str(o, "log"),
            Kmsg = OptionalStr(o, "kmsg") ?? "",
            Unprivileged = (OptionalStr(o, "mode") ?? "priv") switch
            {
                "priv" => false,
                "unpriv" => true,
                var m => throw new FormatException($"field mode is '{m}'; expected priv or unpriv"),
            },
            UnprivDisabled = OptionalNum(o, "unpriv_disabled") is { } disabled && disabled != 0,
            Retval = OptionalNum(o, "retval") is { } retval
                ? retval is >= int.MinValue and <= int.MaxValue ? (int)retval : throw new FormatException($"field retval {retval} is not a 32-bit value")
                : null,
            RunErrno = (int)(OptionalNum(o, "run_errno") ?? 0),
            RunError = OptionalStr(o, "run_error") ?? "",
            Xlated = OptionalStr(o, "xlated"),
            JitedHex = OptionalStr(o, "jited_hex"),
            WallUsec = OptionalNum(o, "wall_usec"),
        };
    }

    private static string Str(JsonElement o, string key) => o.GetProperty(key) is { ValueKind: JsonValueKind.String } v
        ? v.GetString()!
        : throw new FormatException($"field {key} must be a string");

    private static long Num(JsonElement o, string key) => o.GetProperty(key) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var n)
        ? n
        : throw new FormatException($"field {key} must be a whole number");

    /// <summary>A string field that may be missing or null; any other kind is wrong.</summary>
    private static string? OptionalStr(JsonElement o, string key) => !o.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()!
        : throw new FormatException($"field {key} must be a string or null");

    /// <summary>A whole-number field that may be missing or null; any other kind is wrong.</summary>
    private static long? OptionalNum(JsonElement o, string key) => !o.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n
        : throw new FormatException($"field {key} must be a whole number or null");

    private static string Shorten(string line) => line.Length <= 200 ? line : line[..200] + "...";
}
