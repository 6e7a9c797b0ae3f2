using System.Globalization;

namespace Harness.Verdicts;

public static partial class BtfExpectationReader
{
    // The tag strings of tools/testing/selftests/bpf/test_loader.c (6.12), plus __not_msg from later kernels.
    private const string Prefix = "comment:test_";
    private const string ExpectFailure = "comment:test_expect_failure";
    private const string ExpectSuccess = "comment:test_expect_success";
    private const string ExpectFailureUnpriv = "comment:test_expect_failure_unpriv";
    private const string ExpectSuccessUnpriv = "comment:test_expect_success_unpriv";
    private const string Auxiliary = "comment:test_auxiliary";
    private const string AuxiliaryUnpriv = "comment:test_auxiliary_unpriv";
    private const string MsgPrefix = "comment:test_expect_msg=";
    private const string MsgUnprivPrefix = "comment:test_expect_msg_unpriv=";
    private const string NotMsgPrefix = "comment:test_expect_not_msg=";
    private const string XlatedPrefix = "comment:test_expect_xlated=";
    private const string XlatedUnprivPrefix = "comment:test_expect_xlated_unpriv=";
    private const string JitedPrefix = "comment:test_jited=";
    private const string JitedUnprivPrefix = "comment:test_jited_unpriv=";
    private const string DescriptionPrefix = "comment:test_description=";
    private const string LogLevelPrefix = "comment:test_log_level=";
    private const string ProgFlagsPrefix = "comment:test_prog_flags=";
    private const string RetvalPrefix = "comment:test_retval=";
    private const string RetvalUnprivPrefix = "comment:test_retval_unpriv=";
    private const string ArchPrefix = "comment:test_arch=";
    private const string BtfPathPrefix = "comment:test_btf_path=";

    private static readonly Dictionary<string, uint> FlagNames = new(StringComparer.Ordinal)
    {
        ["BPF_F_STRICT_ALIGNMENT"] = 1u << 0,
        ["BPF_F_ANY_ALIGNMENT"] = 1u << 1,
        ["BPF_F_TEST_RND_HI32"] = 1u << 2,
        ["BPF_F_TEST_STATE_FREQ"] = 1u << 3,
        ["BPF_F_SLEEPABLE"] = 1u << 4,
        ["BPF_F_XDP_HAS_FRAGS"] = 1u << 5,
        ["BPF_F_XDP_DEV_BOUND_ONLY"] = 1u << 6,
        ["BPF_F_TEST_REG_INVARIANTS"] = 1u << 7,
    };

    private static readonly string[] KnownArches = ["X86_64", "ARM64", "RISCV64"];

    /// <summary>Interprets one program's decl tags the way test_loader's parse_test_spec() does.</summary>
    internal static ProgramExpectation FromTags(string objectName, string program, string section, IReadOnlyList<string> tags)
    {
        var verdict = ExpectedVerdict.Unspecified;
        var unprivVerdict = ExpectedVerdict.Unspecified;
        List<string> messages = [], notMessages = [], unprivMessages = [], xlated = [], flags = [], arches = [], other = [], problems = [];
        List<DisasmPattern> xlatedPatterns = [], unprivXlated = [], jited = [], unprivJited = [];
        string? description = null, retval = null, unprivRetval = null, btfPath = null, jitArch = null;
        int? logLevel = null;
        uint set = 0, cleared = 0;
        bool auxiliary = false, priv = false, unpriv = false;
        // test_loader's push_disasm_msg state: a pattern must follow the previous one on the next line until "..." says otherwise.
        bool xlatedNext = true, unprivXlatedNext = true, jitNext = true, unprivJitNext = true;

        foreach (var tag in tags)
        {
            if (!tag.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            if (tag.StartsWith(DescriptionPrefix, StringComparison.Ordinal)) description = tag[DescriptionPrefix.Length..];
            else if (tag == ExpectFailure) { verdict = ExpectedVerdict.Failure; priv = true; }
            else if (tag == ExpectSuccess) { verdict = ExpectedVerdict.Success; priv = true; }
            else if (tag == ExpectFailureUnpriv) { unprivVerdict = ExpectedVerdict.Failure; unpriv = true; }
            else if (tag == ExpectSuccessUnpriv) { unprivVerdict = ExpectedVerdict.Success; unpriv = true; }
            else if (tag == Auxiliary) { auxiliary = true; priv = true; }
            else if (tag == AuxiliaryUnpriv) { auxiliary = true; unpriv = true; }
            else if (Dynamic(tag, MsgPrefix, problems) is { } msg) { messages.Add(msg); priv = true; }
            else if (Dynamic(tag, MsgUnprivPrefix, problems) is { } umsg) { unprivMessages.Add(umsg); unpriv = true; }
            else if (Dynamic(tag, NotMsgPrefix, problems) is { } nmsg) notMessages.Add(nmsg);
            else if (Dynamic(tag, XlatedPrefix, problems) is { } x)
            {
                xlated.Add(x);
                Disasm(x, ref xlatedNext, xlatedPatterns, null);
                priv = true;
            }
            else if (Dynamic(tag, XlatedUnprivPrefix, problems) is { } ux) { Disasm(ux, ref unprivXlatedNext, unprivXlated, null); unpriv = true; }
            else if (Dynamic(tag, JitedPrefix, problems) is { } j)
            {
                if (jitArch is null) problems.Add($"tag '{tag}': __jited before any __arch_* (test_loader refuses it)");
                else { Disasm(j, ref jitNext, jited, jitArch); priv = true; }
            }
            else if (Dynamic(tag, JitedUnprivPrefix, problems) is { } uj)
            {
                if (jitArch is null) problems.Add($"tag '{tag}': __jited_unpriv before any __arch_* (test_loader refuses it)");
                else { Disasm(uj, ref unprivJitNext, unprivJited, jitArch); unpriv = true; }
            }
            else if (tag.StartsWith(RetvalUnprivPrefix, StringComparison.Ordinal))
            {
                unprivRetval = tag[RetvalUnprivPrefix.Length..];
                if (RetvalValue(unprivRetval) is null) problems.Add($"tag '{tag}': retval '{unprivRetval}' is neither a number nor INT_MIN, POINTER_VALUE or TEST_DATA_LEN");
                unpriv = true;
            }
            else if (tag.StartsWith(RetvalPrefix, StringComparison.Ordinal))
            {
                retval = tag[RetvalPrefix.Length..];
                if (RetvalValue(retval) is null) problems.Add($"tag '{tag}': retval '{retval}' is neither a number nor INT_MIN, POINTER_VALUE or TEST_DATA_LEN");
                priv = true;
            }
            else if (tag.StartsWith(LogLevelPrefix, StringComparison.Ordinal))
            {
                var value = tag[LogLevelPrefix.Length..];
                if (ParseInt(value) is { } level) logLevel = (int)level;
                else problems.Add($"tag '{tag}': log level '{value}' is not a number");
            }
            else if (tag.StartsWith(ProgFlagsPrefix, StringComparison.Ordinal))
            {
                var value = tag[ProgFlagsPrefix.Length..];
                flags.Add(value);
                var clear = value.StartsWith('!');
                var name = clear ? value[1..] : value;
                uint? bits = FlagNames.TryGetValue(name, out var named) ? named : ParseInt(name) is { } n ? unchecked((uint)n) : null;
                if (bits is null) problems.Add($"tag '{tag}': '{name}' is neither a BPF_F_* flag test_loader knows nor a number");
                else if (clear) { cleared |= bits.Value; set &= ~bits.Value; }
                else { set |= bits.Value; cleared &= ~bits.Value; }
            }
            else if (tag.StartsWith(ArchPrefix, StringComparison.Ordinal))
            {
                var arch = tag[ArchPrefix.Length..];
                if (KnownArches.Contains(arch))
                {
                    arches.Add(arch);
                    jitArch = arch.ToLowerInvariant();
                    jitNext = unprivJitNext = true;
                }
                else problems.Add($"tag '{tag}': bad arch '{arch}' (test_loader knows {string.Join(", ", KnownArches)})");
            }
            else if (tag.StartsWith(BtfPathPrefix, StringComparison.Ordinal)) btfPath = tag[BtfPathPrefix.Length..];
            else other.Add(tag);
        }

        return new ProgramExpectation
        {
            Object = objectName,
            Program = program,
            Section = section,
            Description = description,
            Verdict = verdict,
            Messages = messages,
            NotMessages = notMessages,
            UnprivVerdict = unprivVerdict,
            UnprivMessages = unprivMessages,
            LogLevel = logLevel,
            ProgFlags = flags,
            ProgFlagsSet = set,
            ProgFlagsCleared = cleared,
            Arches = arches,
            Auxiliary = auxiliary,
            Retval = retval,
            UnprivRetval = unprivRetval,
            Xlated = xlated,
            XlatedPatterns = xlatedPatterns,
            UnprivXlatedPatterns = unprivXlated,
            Jited = jited,
            UnprivJited = unprivJited,
            // test_loader: no mode tag at all means a privileged test.
            TestsPrivileged = priv || !unpriv,
            TestsUnprivileged = unpriv,
            BtfPath = btfPath,
            OtherTags = other,
            Problems = problems,
            HasExpectations = tags.Any(t => t.StartsWith(Prefix, StringComparison.Ordinal)),
        };
    }

    /// <summary>
    /// test_loader's rows for one program: the privileged test (PRIV mode) and the unprivileged one (UNPRIV mode, named
    /// "@unpriv"), which inherits the privileged verdict, messages, retval and disassembly where it has none of its own.
    /// An auxiliary program is one row whatever its modes: it is loaded with the tests, not judged.
    /// </summary>
    public static IEnumerable<ProgramExpectation> Rows(ProgramExpectation spec)
    {
        if (spec.Auxiliary || spec.Problems.Count > 0 || !spec.HasExpectations)
        {
            yield return spec;
            yield break;
        }
        if (spec.TestsPrivileged) yield return spec;
        if (spec.TestsUnprivileged)
            yield return spec with
            {
                Unprivileged = true,
                Verdict = spec.UnprivVerdict != ExpectedVerdict.Unspecified ? spec.UnprivVerdict : spec.Verdict,
                Messages = spec.UnprivMessages.Count > 0 ? spec.UnprivMessages : spec.Messages,
            };
    }

    /// <summary>test_loader's parse_retval: a number, or INT_MIN, POINTER_VALUE (0xcafe4a11), TEST_DATA_LEN (64).</summary>
    public static long? RetvalValue(string text) => text switch
    {
        "INT_MIN" => int.MinValue,
        "POINTER_VALUE" => PointerValue,
        "TEST_DATA_LEN" => 64,
        _ => ParseInt(text),
    };

    /// <summary>bpf_misc.h's POINTER_VALUE: a retval of a pointer, whose value test_loader does not compare.</summary>
    public const long PointerValue = 0xcafe4a11;

    private static void Disasm(string text, ref bool onNextLine, List<DisasmPattern> into, string? arch)
    {
        if (text == "...")
        {
            onNextLine = false;
            return;
        }
        into.Add(new DisasmPattern(text, onNextLine, arch));
        onNextLine = true;
    }

    /// <summary>
    /// "&lt;prefix&gt;COUNTER=text" → text. The counter only makes equal tags unique (clang drops duplicate
    /// attributes); order comes from BTF, as in test_loader's skip_dynamic_pfx().
    /// </summary>
    private static string? Dynamic(string tag, string prefix, List<string> problems)
    {
        if (!tag.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var rest = tag[prefix.Length..];
        var eq = rest.IndexOf('=');
        if (eq >= 0) return rest[(eq + 1)..];
        problems.Add($"tag '{tag}' lacks the '<counter>=' part (write it as {prefix}<N>=<text>, as bpf_misc.h's macros do)");
        return null;
    }

    /// <summary>test_loader's parse_int: decimal, or hexadecimal after "0x".</summary>
    private static long? ParseInt(string s) =>
        s.StartsWith("0x", StringComparison.Ordinal)
            ? long.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var h) ? h : null
            : long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d) ? d : null;
}
