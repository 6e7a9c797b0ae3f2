using System.Text.Json.Serialization;

namespace Harness.Verdicts;

/// <summary>What a selftest program's tags say the verifier must do with it.</summary>
public enum ExpectedVerdict
{
    /// <summary>No __success/__failure tag: the kernel's test_loader then expects success.</summary>
    Unspecified,
    Success,
    Failure,
}

/// <summary>
/// The expectations of one BPF program, read from its BTF decl tags in the kernel selftest convention
/// (tools/testing/selftests/bpf/progs/bpf_misc.h and test_loader.c, Linux 6.12). Tags are kept in BTF
/// order, which is the order the test_loader matches messages in.
/// </summary>
public sealed record ProgramExpectation
{
    /// <summary>The object's file name, e.g. "async_mem.bpf.o".</summary>
    public required string Object { get; init; }

    /// <summary>The program (ELF symbol and BTF FUNC) name.</summary>
    public required string Program { get; init; }

    /// <summary>The ELF section as written in SEC(), e.g. "tc", "syscall", "?tc".</summary>
    public required string Section { get; init; }

    /// <summary>"comment:test_description=...", or null.</summary>
    public string? Description { get; init; }

    /// <summary>Privileged-mode verdict ("comment:test_expect_success" / "comment:test_expect_failure").</summary>
    public ExpectedVerdict Verdict { get; init; }

    /// <summary>"comment:test_expect_msg=N=..." in BTF order; "{{...}}" parts are regular expressions.</summary>
    public IReadOnlyList<string> Messages { get; init; } = [];

    /// <summary>"comment:test_expect_not_msg=N=..." (newer kernels' __not_msg): must not appear in the log.</summary>
    public IReadOnlyList<string> NotMessages { get; init; } = [];

    /// <summary>Unprivileged-mode verdict, Unspecified when the program has no *_unpriv verdict tag.</summary>
    public ExpectedVerdict UnprivVerdict { get; init; }

    /// <summary>"comment:test_expect_msg_unpriv=N=..." in BTF order.</summary>
    public IReadOnlyList<string> UnprivMessages { get; init; } = [];

    /// <summary>"comment:test_log_level=N", or null to use the loader's default.</summary>
    public int? LogLevel { get; init; }

    /// <summary>"comment:test_prog_flags=..." values as written (e.g. "BPF_F_SLEEPABLE", "!BPF_F_TEST_RND_HI32").</summary>
    public IReadOnlyList<string> ProgFlags { get; init; } = [];

    /// <summary>BPF_F_* bits the flag tags set (OR of all non-"!" values).</summary>
    public uint ProgFlagsSet { get; init; }

    /// <summary>BPF_F_* bits the flag tags clear ("!" values), to remove from the loader's defaults.</summary>
    public uint ProgFlagsCleared { get; init; }

    /// <summary>"comment:test_arch=..." values (X86_64, ARM64, RISCV64); empty means every arch.</summary>
    public IReadOnlyList<string> Arches { get; init; } = [];

    /// <summary>"comment:test_auxiliary": loaded to help other tests, not a test itself.</summary>
    public bool Auxiliary { get; init; }

    /// <summary>"comment:test_retval=..." as written: after a successful load the program is run once (BPF_PROG_TEST_RUN).</summary>
    public string? Retval { get; init; }

    /// <summary>"comment:test_retval_unpriv=..." as written; without it the unprivileged load inherits <see cref="Retval"/>.</summary>
    public string? UnprivRetval { get; init; }

    /// <summary>"comment:test_expect_xlated=N=..." texts in BTF order (see <see cref="XlatedPatterns"/> for the line rules).</summary>
    public IReadOnlyList<string> Xlated { get; init; } = [];

    /// <summary>__xlated patterns with test_loader's "next line" rule: each must be on the line after the previous match, unless a "..." came between.</summary>
    public IReadOnlyList<DisasmPattern> XlatedPatterns { get; init; } = [];

    /// <summary>__xlated_unpriv patterns; without any, the unprivileged load inherits <see cref="XlatedPatterns"/>.</summary>
    public IReadOnlyList<DisasmPattern> UnprivXlatedPatterns { get; init; } = [];

    /// <summary>__jited patterns, each for the arch of the __arch_* tag before it (test_loader collects only the current arch's).</summary>
    public IReadOnlyList<DisasmPattern> Jited { get; init; } = [];

    /// <summary>__jited_unpriv patterns; without any, the unprivileged load inherits <see cref="Jited"/>.</summary>
    public IReadOnlyList<DisasmPattern> UnprivJited { get; init; } = [];

    /// <summary>test_loader's PRIV mode bit: the program is a privileged test (also when no mode tag is given at all).</summary>
    public bool TestsPrivileged { get; init; } = true;

    /// <summary>test_loader's UNPRIV mode bit: some *_unpriv tag asks for a second load without CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_PERFMON and CAP_BPF.</summary>
    public bool TestsUnprivileged { get; init; }

    /// <summary>This row is the unprivileged load of the program (test_loader's "NAME @unpriv" subtest); its verdict, messages,
    /// retval and disassembly are the unprivileged ones (inherited from the privileged ones where the program gives none).</summary>
    public bool Unprivileged { get; init; }

    /// <summary>Which set of tests the program belongs to: "series" for the series' own selftests, else a tree suite's name.</summary>
    public string Suite { get; init; } = "series";

    /// <summary>"comment:test_btf_path=...": the object whose BTF the load takes instead of the kernel's (test_loader's btf_custom_path), or null.</summary>
    public string? BtfPath { get; init; }

    /// <summary>
    /// Map elements the loader writes after an accept and before the test run, in its maps= form ("MAP:OFF=0xV,...;..."),
    /// from a tree suite's map-values (what prog_tests/verifier.c's pre-execution callbacks write); null: none.
    /// </summary>
    public string? MapValues { get; init; }

    /// <summary>"comment:test_*" tags this reader does not know (newer kernels): kept so nothing is silently lost.</summary>
    public IReadOnlyList<string> OtherTags { get; init; } = [];

    /// <summary>Malformed tags and missing BTF: each makes the program's outcome an error.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>True when the program carries at least one selftest ("comment:test_") tag.</summary>
    public bool HasExpectations { get; init; }

    /// <summary>"object:program", the key the overlay and the reports use.</summary>
    [JsonIgnore]
    public string Key => $"{Object}:{Program}" + (Unprivileged ? UnprivSuffix : "");

    /// <summary>What an unprivileged row's key and name end with.</summary>
    public const string UnprivSuffix = "@unpriv";

    /// <summary>The retval tag that applies to this row (the unprivileged one, else the privileged one), or null when it is not run.</summary>
    [JsonIgnore]
    public string? RetvalTag => Unprivileged ? UnprivRetval ?? Retval : Retval;

    /// <summary>The __xlated patterns that apply to this row.</summary>
    [JsonIgnore]
    public IReadOnlyList<DisasmPattern> XlatedToMatch => Unprivileged && UnprivXlatedPatterns.Count > 0 ? UnprivXlatedPatterns : XlatedPatterns;

    /// <summary>The __jited patterns of <paramref name="arch"/> that apply to this row.</summary>
    public IReadOnlyList<DisasmPattern> JitedFor(string arch) =>
        (Unprivileged && UnprivJited.Count > 0 ? UnprivJited : Jited)
        .Where(p => string.Equals(p.Arch, arch, StringComparison.OrdinalIgnoreCase)).ToArray();

    /// <summary>What the test_loader would display: the description, else the program name; " @unpriv" for the unprivileged load.</summary>
    [JsonIgnore]
    public string DisplayName => (Description ?? Program) + (Unprivileged ? " " + UnprivSuffix : "");

    /// <summary>False for "?sec" programs, which libbpf does not autoload.</summary>
    [JsonIgnore]
    public bool Autoload => !Section.StartsWith('?');

    /// <summary>Whether the program's test_arch tags allow <paramref name="arch"/> (e.g. "x86_64" matches X86_64).</summary>
    public bool RunsOn(string arch) =>
        Arches.Count == 0 || Arches.Any(a => string.Equals(a, arch, StringComparison.OrdinalIgnoreCase));

    /// <summary>The verdict to check: Unspecified means success, as in the kernel's test_loader.</summary>
    [JsonIgnore]
    public ExpectedVerdict EffectiveVerdict => Verdict == ExpectedVerdict.Unspecified ? ExpectedVerdict.Success : Verdict;
}

/// <summary>
/// One __xlated or __jited line pattern (test_loader's push_disasm_msg): <see cref="OnNextLine"/> when it must match on the
/// line right after the previous pattern's match ("..." between two patterns lifts that). <see cref="Arch"/> is the
/// __arch_* a __jited pattern belongs to (x86_64, arm64, riscv64); null for __xlated.
/// </summary>
public sealed record DisasmPattern(string Text, bool OnNextLine, string? Arch = null);
