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

    /// <summary>The load was unprivileged (test_loader's @unpriv mode: capabilities dropped).</summary>
    public bool Unprivileged { get; init; }

    /// <summary>What BPF_PROG_TEST_RUN returned after the load; null when the program was not run.</summary>
    public long? Retval { get; init; }

    /// <summary>The errno of a BPF_PROG_TEST_RUN that failed, 0 when it ran (or was not asked for).</summary>
    public int RunErrno { get; init; }

    /// <summary>The program as the verifier rewrote it, "N: insn" per line as test_loader prints it; empty when not asked for.</summary>
    public string Xlated { get; init; } = "";

    /// <summary>The JIT image as hex; empty when not asked for.</summary>
    public string JitedHex { get; init; } = "";

    /// <summary>The guest's kernel.unprivileged_bpf_disabled when the load was unprivileged (non-zero: test_loader skips it); null when unknown.</summary>
    public int? UnprivDisabled { get; init; }

    /// <summary>"object:program", the key expectations use.</summary>
    [JsonIgnore]
    public string Key => $"{Object}:{Program}" + (Unprivileged ? ProgramExpectation.UnprivSuffix : "");

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
    /// <summary>The result for "object:program", or null when the loader printed none.</summary>
    public LoadResult? Find(string @object, string program) =>
        Results.LastOrDefault(r => r.Object == @object && r.Program == program);
}
