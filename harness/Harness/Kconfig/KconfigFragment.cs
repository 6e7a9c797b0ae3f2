using System.Text.RegularExpressions;
using Harness.Errors;

namespace Harness.Kconfig;

/// <summary>One symbol a fragment sets: CONFIG_X=y, or n for "# CONFIG_X is not set". Value is as written (quotes kept).</summary>
public sealed record KconfigRequest(string Symbol, string Value, string File, int Line);

/// <summary>Reads Kconfig fragments and .config files (the same syntax) into symbol/value pairs.</summary>
public static partial class KconfigFragment
{
    [GeneratedRegex(@"^(CONFIG_[A-Za-z0-9_]+)=(.*)$")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^# (CONFIG_[A-Za-z0-9_]+) is not set$")]
    private static partial Regex NotSet();

    /// <summary>Every setting in a fragment, in order; any other non-comment line is an error naming file and line.</summary>
    public static IReadOnlyList<KconfigRequest> Parse(string file, string text)
    {
        var requests = new List<KconfigRequest>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (Assignment().Match(line) is { Success: true } a) requests.Add(new KconfigRequest(a.Groups[1].Value, a.Groups[2].Value, file, i + 1));
            else if (NotSet().Match(line) is { Success: true } n) requests.Add(new KconfigRequest(n.Groups[1].Value, "n", file, i + 1));
            else if (line.Length > 0 && !line.StartsWith('#'))
                throw new BadInputException($"{file}:{i + 1}: '{line}' is not a Kconfig setting. Write CONFIG_NAME=value or '# CONFIG_NAME is not set'.");
        }
        return requests;
    }

    /// <summary>The values a .config sets; a symbol it does not mention is n.</summary>
    public static IReadOnlyDictionary<string, string> Values(string configText) =>
        Parse(".config", string.Join('\n', configText.Replace("\r\n", "\n").Split('\n').Where(l => !l.StartsWith('#') || NotSet().IsMatch(l))))
            .GroupBy(r => r.Symbol).ToDictionary(g => g.Key, g => g.Last().Value);

    /// <summary>
    /// <paramref name="baseConfig"/> with every requested symbol set as requested (a later request wins),
    /// as scripts/kconfig/merge_config.sh does before olddefconfig.
    /// </summary>
    public static string Merge(string baseConfig, IEnumerable<KconfigRequest> requests)
    {
        var last = requests.GroupBy(r => r.Symbol).Select(g => g.Last()).ToArray();
        var symbols = last.Select(r => r.Symbol).ToHashSet();
        var kept = baseConfig.Replace("\r\n", "\n").Split('\n')
            .Where(l => !(Assignment().Match(l) is { Success: true } a && symbols.Contains(a.Groups[1].Value))
                        && !(NotSet().Match(l) is { Success: true } n && symbols.Contains(n.Groups[1].Value)))
            .ToList();
        while (kept.Count > 0 && kept[^1].Length == 0) kept.RemoveAt(kept.Count - 1);
        kept.AddRange(last.Select(r => r.Value == "n" ? $"# {r.Symbol} is not set" : $"{r.Symbol}={r.Value}"));
        return string.Join('\n', kept) + "\n";
    }
}
