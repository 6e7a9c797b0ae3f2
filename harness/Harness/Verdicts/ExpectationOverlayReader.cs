using Harness.Config;
using Harness.Errors;

namespace Harness.Verdicts;

/// <summary>
/// Reads selftests/expectations.yaml strictly (unknown keys and bad values are errors with
/// file:line:column). The format is described at the top of that file.
/// </summary>
public static class ExpectationOverlayReader
{
    private static readonly string[] Actions = ["known-deviation", "skip", "expect"];

    /// <summary>Reads <paramref name="file"/>; arch names must be among <paramref name="knownArches"/>.</summary>
    public static ExpectationOverlay Read(string file, IReadOnlyCollection<string> knownArches) =>
        Bind(YamlNodeReader.Load(file), file, knownArches);

    public static ExpectationOverlay Parse(string file, string text, IReadOnlyCollection<string> knownArches) =>
        Bind(YamlNodeReader.Parse(file, text), file, knownArches);

    private static ExpectationOverlay Bind(YamlNodeReader root, string file, IReadOnlyCollection<string> knownArches)
    {
        root.OnlyKeys("programs", "splats");
        var splats = (root.Optional("splats")?.Items() ?? []).Select(s => ReadSplat(s, knownArches)).ToArray();
        var programs = root.Optional("programs");
        if (programs is null) return new ExpectationOverlay(file, [], splats);
        var entries = new List<OverlayEntry>();
        foreach (var (key, list) in programs.Entries())
        {
            if (key.Length == 0 || key.StartsWith(':') || key.EndsWith(':'))
                throw list.Error("is not a program key. Use \"object.bpf.o:program\" or \"program\".");
            foreach (var item in list.Items())
                entries.Add(ReadEntry(key, item, knownArches));
        }
        return new ExpectationOverlay(file, entries, splats);
    }

    private static KnownSplat ReadSplat(YamlNodeReader item, IReadOnlyCollection<string> knownArches)
    {
        item.OnlyKeys("match", "reason", "arches", "kernels");
        var match = item.String("match");
        if (match.Trim().Length == 0) throw item.Required("match").Error("is empty. Give text the splat prints.");
        var (arches, kernels) = ReadFilters(item, knownArches);
        return new KnownSplat(match, Reason(item), item.Where, arches, kernels);
    }

    private static (IReadOnlyList<string> Arches, IReadOnlyList<KernelRole> Kernels) ReadFilters(YamlNodeReader item, IReadOnlyCollection<string> knownArches)
    {
        var arches = item.Optional("arches")?.Items() ?? [];
        foreach (var arch in arches)
            if (!knownArches.Contains(arch.AsString()))
                throw arch.Error($"is '{arch.AsString()}', not a known arch. Available: {string.Join(", ", knownArches.Order(StringComparer.Ordinal))}.");
        var kernels = (item.Optional("kernels")?.Items() ?? []).Select(k => k.AsString() switch
        {
            "patched" => KernelRole.Patched,
            "baseline" => KernelRole.Baseline,
            var s => throw k.Error($"is '{s}'. Use patched or baseline."),
        }).ToArray();
        return (arches.Select(a => a.AsString()).ToArray(), kernels);
    }

    private static OverlayEntry ReadEntry(string key, YamlNodeReader item, IReadOnlyCollection<string> knownArches)
    {
        item.OnlyKeys([.. Actions, "arches", "kernels"]);
        var present = Actions.Where(item.Has).ToArray();
        if (present.Length != 1)
            throw item.Error($"must have exactly one of {string.Join(", ", Actions)} (found {(present.Length == 0 ? "none" : string.Join(", ", present))}).");

        var (arches, kernels) = ReadFilters(item, knownArches);

        var node = item.Required(present[0]);
        OverlayAction action = present[0] switch
        {
            "known-deviation" => ReadDeviation(node.OnlyKeys("reason", "actual", "message")),
            "skip" => new SkipProgram(Reason(node.OnlyKeys("reason"))),
            _ => ReadOverride(node.OnlyKeys("reason", "verdict", "messages")),
        };
        return new OverlayEntry(key, item.Where, arches, kernels, action);
    }

    private static KnownDeviation ReadDeviation(YamlNodeReader node)
    {
        var actual = node.Required("actual");
        return new KnownDeviation(Reason(node), actual.AsString() switch
        {
            "accept" => LoadVerdict.Accept,
            "reject" => LoadVerdict.Reject,
            "oops" => LoadVerdict.Oops,
            var s => throw actual.Error($"is '{s}'. Use accept, reject or oops (what the kernel does instead of the expectation; an oops program is loaded in a guest of its own)."),
        }, node.OptionalString("message"));
    }

    private static ExpectationOverride ReadOverride(YamlNodeReader node)
    {
        var verdict = node.Required("verdict");
        return new ExpectationOverride(Reason(node), verdict.AsString() switch
        {
            "accept" => ExpectedVerdict.Success,
            "reject" => ExpectedVerdict.Failure,
            var s => throw verdict.Error($"is '{s}'. Use accept or reject."),
        }, node.Has("messages") ? node.StringList("messages") : null);
    }

    private static string Reason(YamlNodeReader node)
    {
        var reason = node.String("reason");
        return reason.Trim().Length > 0 ? reason : throw node.Required("reason").Error("is empty. Say why, for the reviewer reading the report.");
    }
}
