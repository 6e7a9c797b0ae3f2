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
        string? description = null, retval = null, btfPath = null;
        int? logLevel = null;
        uint set = 0, cleared = 0;
        var auxiliary = false;

        foreach (var tag in tags)
        {
            if (!tag.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            if (tag.StartsWith(DescriptionPrefix, StringComparison.Ordinal)) description = tag[DescriptionPrefix.Length..];
            else if (tag == ExpectFailure) verdict = ExpectedVerdict.Failure;
            else if (tag == ExpectSuccess) verdict = ExpectedVerdict.Success;
            else if (tag == ExpectFailureUnpriv) unprivVerdict = ExpectedVerdict.Failure;
            else if (tag == ExpectSuccessUnpriv) unprivVerdict = ExpectedVerdict.Success;
            else if (tag is Auxiliary or AuxiliaryUnpriv) auxiliary = true;
            else if (Dynamic(tag, MsgPrefix, problems) is { } msg) messages.Add(msg);
            else if (Dynamic(tag, MsgUnprivPrefix, problems) is { } umsg) unprivMessages.Add(umsg);
            else if (Dynamic(tag, NotMsgPrefix, problems) is { } nmsg) notMessages.Add(nmsg);
            else if (Dynamic(tag, XlatedPrefix, problems) is { } x) xlated.Add(x);
            else if (tag.StartsWith(XlatedUnprivPrefix, StringComparison.Ordinal)
                     || tag.StartsWith(JitedPrefix, StringComparison.Ordinal)
                     || tag.StartsWith(JitedUnprivPrefix, StringComparison.Ordinal)) other.Add(tag);
            else if (tag.StartsWith(RetvalPrefix, StringComparison.Ordinal)) retval = tag[RetvalPrefix.Length..];
            else if (tag.StartsWith(RetvalUnprivPrefix, StringComparison.Ordinal)) other.Add(tag);
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
                if (KnownArches.Contains(arch)) arches.Add(arch);
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
            Xlated = xlated,
            BtfPath = btfPath,
            OtherTags = other,
            Problems = problems,
            HasExpectations = tags.Any(t => t.StartsWith(Prefix, StringComparison.Ordinal)),
        };
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
