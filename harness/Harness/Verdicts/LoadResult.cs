using System.Text.Json.Serialization;

namespace Harness.Verdicts;

/// <summary>What the kernel did with one program, as the in-guest loader saw it.</summary>
public enum LoadVerdict
{
    /// <summary>BPF_PROG_LOAD succeeded.</summary>
    Accept,

    /// <summary>The verifier refused the program (the log says why).</summary>
    Reject,

    /// <summary>The loader could not get a verdict (open, relocation, missing kfunc BTF...): not the verifier's answer.</summary>
    Error,

    /// <summary>
    /// The kernel oopsed (or the guest died) while verifying it. Never printed by the loader: the harness gives it to a
    /// program whose known deviation says "actual: oops", from the kernel messages of its load, loaded in a guest of its own.
    /// </summary>
    Oops,
}

/// <summary>
/// One line of the in-guest loader's output: the verdict, errno, the full verifier log and the
/// verifier's statistics for one program.
/// </summary>
public sealed record LoadResult
{
    public required string Object { get; init; }
    public required string Program { get; init; }
    public required string Section { get; init; }
    public required LoadVerdict Verdict { get; init; }

    /// <summary>Positive errno of the failed load (EACCES 13, EINVAL 22...), 0 on accept.</summary>
    public int Errno { get; init; }

    /// <summary>The loader's own error text (strerror or libbpf's), empty on accept.</summary>
    public string Error { get; init; } = "";
    public long InsnsProcessed { get; init; }
    public long PeakStates { get; init; }
    public long TotalStates { get; init; }
    public long MaxStatesPerInsn { get; init; }
    public long VerifyUsec { get; init; }

    /// <summary>The full verifier log.</summary>
    public string Log { get; init; } = "";

    /// <summary>
    /// Kernel messages (/dev/kmsg) logged while this program loaded, one per line: an oops, BUG, WARNING or KASAN
    /// report here was caused by this load. Empty when there were none (or the loader predates the field).
    /// </summary>
    public string Kmsg { get; init; } = "";

    /// <summary>Loaded with CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_PERFMON and CAP_BPF dropped (test_loader's unpriv mode; "mode":"unpriv").</summary>
    public bool Unprivileged { get; init; }

    /// <summary>"priv" or "unpriv", as the loader printed it.</summary>
    [JsonIgnore]
    public string Mode => Unprivileged ? "unpriv" : "priv";

    /// <summary>
    /// For an unprivileged load: kernel.unprivileged_bpf_disabled was set in the guest (test_loader skips such a load;
    /// the loader loads it anyway and says so). False for a privileged load.
    /// </summary>
    public bool UnprivDisabled { get; init; }

    /// <summary>BPF_PROG_TEST_RUN's return value (the job asked for a run and the program loaded), else null.</summary>
    public int? Retval { get; init; }

    /// <summary>The errno of a test run that failed (then <see cref="Retval"/> is null), 0 otherwise.</summary>
    public int RunErrno { get; init; }

    /// <summary>Why the test run failed (strerror), empty otherwise.</summary>
    public string RunError { get; init; } = "";

    /// <summary>The program after the verifier's rewrites, "N: insn" per line as test_loader prints it (the job asked and it loaded), else null.</summary>
    public string? Xlated { get; init; }

    /// <summary>The JIT image's bytes in hex (the job asked, it loaded and the kernel JITs), else null: the host disassembles it.</summary>
    public string? JitedHex { get; init; }

    /// <summary>The job's wall time in the guest (the loader's fork to its reaped child), or null from a loader that does not say.</summary>
    public long? WallUsec { get; init; }

    /// <summary>"object:program" (the key expectations use), "@unpriv" appended for an unprivileged load: the job's key.</summary>
    [JsonIgnore]
    public string Key => $"{Object}:{Program}" + (Unprivileged ? "@unpriv" : "");

    /// <summary>The verifier's error message for a rejected program (see <see cref="VerifierLog.ErrorMessage"/>), else null.</summary>
    [JsonIgnore]
    public string? ErrorMessage => Verdict == LoadVerdict.Accept ? null : VerifierLog.ErrorMessage(Log);
}

/// <summary>A loader output line that could not be read, with its 1-based line number.</summary>
public sealed record LoaderOutputProblem(int Line, string Text, string Reason)
{
    public override string ToString() => $"line {Line}: {Reason}";
}

/// <summary>Everything the loader printed for one run: results, and lines that were not results.</summary>
public sealed record LoaderOutput(IReadOnlyList<LoadResult> Results, IReadOnlyList<LoaderOutputProblem> Problems)
{
    /// <summary>The result for "object:program" (its privileged load, or its unprivileged one), or null when the loader printed none.</summary>
    public LoadResult? Find(string @object, string program, bool unprivileged = false) =>
        Results.LastOrDefault(r => r.Object == @object && r.Program == program && r.Unprivileged == unprivileged);
}
