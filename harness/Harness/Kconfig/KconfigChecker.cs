using System.Text;

namespace Harness.Kconfig;

/// <summary>Where a Kconfig symbol is defined and the lines that govern whether it can be set.</summary>
public sealed record KconfigEntry(string File, int Line, IReadOnlyList<string> DependencyLines);

/// <summary>A symbol the final .config does not set as a fragment asked.</summary>
public sealed record KconfigMismatch(KconfigRequest Request, string Actual, IReadOnlyList<KconfigEntry> Definitions);

/// <summary>
/// Kconfig silently drops a symbol whose dependencies are unmet. This checks every requested symbol
/// against the final .config and explains each one that did not stick: fragment, line, requested vs
/// actual, and the dependency lines of its Kconfig entry with the current value of each symbol named.
/// </summary>
public static class KconfigChecker
{
    public static IReadOnlyList<KconfigMismatch> Check(IEnumerable<KconfigRequest> requests, string finalConfig,
        Func<string, IReadOnlyList<KconfigEntry>> definitions)
    {
        var values = KconfigFragment.Values(finalConfig);
        // A later fragment overrides an earlier one: only the winning request must hold.
        return requests.GroupBy(r => r.Symbol).Select(g => g.Last())
            .Select(r => (Request: r, Actual: values.GetValueOrDefault(r.Symbol, "n")))
            .Where(x => x.Actual != x.Request.Value)
            .Select(x => new KconfigMismatch(x.Request, x.Actual, definitions(x.Request.Symbol[7..])))
            .ToArray();
    }

    public static string Describe(IReadOnlyList<KconfigMismatch> mismatches, string finalConfig)
    {
        var values = KconfigFragment.Values(finalConfig);
        var text = new StringBuilder();
        text.AppendLine($"Kconfig dropped {mismatches.Count} requested symbol{(mismatches.Count == 1 ? "" : "s")}:");
        foreach (var m in mismatches)
        {
            var r = m.Request;
            text.AppendLine($"{r.File}:{r.Line}: {r.Symbol} requested {r.Value}, final .config has {m.Actual}.");
            if (m.Definitions.Count == 0)
                text.AppendLine($"   No Kconfig file of this tree defines {r.Symbol[7..]}: misspelled, or not in this kernel version?");
            foreach (var d in m.Definitions)
            {
                text.AppendLine($"   defined at {d.File}:{d.Line}");
                foreach (var line in d.DependencyLines)
                    text.AppendLine($"      {line}{Annotate(line, values)}");
                if (d.DependencyLines.Count == 0) text.AppendLine("      (no depends on / select lines: check the enclosing 'if' or 'menu', or whether it has a prompt)");
            }
        }
        text.Append("Fix: also set the unmet dependencies in a fragment, or drop the symbol from the fragment.");
        return text.ToString();
    }

    /// <summary>"   [BPF_JIT=y, HAVE_EBPF_JIT=n]": the current value of every symbol a dependency line names.</summary>
    private static string Annotate(string line, IReadOnlyDictionary<string, string> values)
    {
        var body = line.Trim();
        foreach (var keyword in new[] { "depends on", "select", "imply", "visible if", "if" })
            if (body.StartsWith(keyword + " ", StringComparison.Ordinal)) { body = body[keyword.Length..]; break; }
        var symbols = System.Text.RegularExpressions.Regex.Matches(body, @"\b[A-Z0-9_]*[A-Z][A-Z0-9_]*\b")
            .Select(m => m.Value).Distinct().ToArray();
        return symbols.Length == 0 ? "" : "   [" + string.Join(", ", symbols.Select(s => $"{s}={values.GetValueOrDefault("CONFIG_" + s, "n")}")) + "]";
    }
}
