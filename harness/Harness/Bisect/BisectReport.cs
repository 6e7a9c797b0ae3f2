using System.Text;
using System.Text.Json;
using Harness.Reports;
using Harness.Verdicts;
using Spectre.Console;

namespace Harness.Bisect;

/// <summary>A bisect's reports: bisect.json (the whole <see cref="BisectResult"/>), bisect.md, and the table on the terminal.</summary>
public static class BisectReport
{
    public const string JsonFile = "bisect.json";
    public const string MarkdownFile = "bisect.md";

    public static async Task WriteIntoAsync(BisectResult result, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var utf8 = new UTF8Encoding(false);
        await File.WriteAllTextAsync(Path.Combine(directory, JsonFile), JsonSerializer.Serialize(result, ResultsJson.Options) + "\n", utf8, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, MarkdownFile), Markdown(result), utf8, cancellationToken);
    }

    public static BisectResult Read(string json) =>
        JsonSerializer.Deserialize<BisectResult>(json, ResultsJson.Options) ?? throw new JsonException("bisect.json holds null");

    public static string Markdown(BisectResult result)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Bisect of {result.Series}").AppendLine();
        if (result.BaseWith.Count > 0) md.AppendLine($"Every prefix includes {string.Join(", ", result.BaseWith.Select(p => $"`{p}`"))} (--base-with).").AppendLine();
        md.AppendLine($"Reproduce: `{result.Reproduce}`").AppendLine();
        // A directory's patches are the prefixes' steps already; a mail or archive copy went through a split or an import worth showing.
        if (result.SeriesInput is { Kind: not Patches.Inputs.SeriesInputKind.Directory } input) SeriesInputSummary.AppendMarkdown(md, input);
        foreach (var arch in result.Arches)
        {
            md.AppendLine($"## {arch.Arch}").AppendLine();
            md.AppendLine("| # | adds | accepted | rejected | oopsed | did not load | guest error |").AppendLine("|---|---|---|---|---|---|---|");
            for (var i = 0; i < arch.Prefixes.Count; i++)
            {
                var p = arch.Prefixes[i];
                md.AppendLine($"| {i + 1} | `{p.Step}` | {p.Accepted} | {p.Rejected} | {p.Oopsed} | {p.NotLoaded} | {p.Error ?? ""} |");
            }
            md.AppendLine();
            if (arch.NotCompared.Count > 0)
            {
                md.AppendLine("Not compared (no result on the first prefix or the full series):").AppendLine();
                foreach (var n in arch.NotCompared) md.AppendLine($"- `{n.Program}`: {n.Reason}");
                md.AppendLine();
            }
            if (arch.Changes.Count == 0)
            {
                md.AppendLine("No program's result differs between the first prefix and the full series.").AppendLine();
                continue;
            }
            md.AppendLine($"| program | {string.Join(" | ", arch.Prefixes.Select((_, i) => $"#{i + 1}"))} | change | after patch |");
            md.AppendLine($"|---|{string.Concat(arch.Prefixes.Select(_ => "---|"))}---|---|");
            foreach (var c in arch.Changes)
                md.AppendLine($"| `{c.Program}` | {string.Join(" | ", c.PerPrefix.Select(Cell))} | {Kind(c)} | `{c.ChangedAfter}` |");
            md.AppendLine();
            var didNotLoad = arch.Changes.Where(c => c.FirstError is not null).ToArray();
            if (didNotLoad.Length > 0)
            {
                md.AppendLine("Programs that did not load on the first prefix (not a verifier verdict, so not a flip):").AppendLine();
                foreach (var c in didNotLoad) md.AppendLine($"- `{c.Program}`: {c.FirstError}");
                md.AppendLine();
            }
        }
        return md.ToString();
    }

    /// <summary>
    /// The terminal view: every verdict flip (and program that stops loading) with its patch, then one line per patch
    /// from which programs first load (not verdicts, so not flips; bisect.md lists them one by one).
    /// </summary>
    public static void Write(IAnsiConsole console, BisectResult result, string directory)
    {
        foreach (var arch in result.Arches)
        {
            var table = new Table().Border(TableBorder.Rounded).Title($"[bold]bisect {Markup.Escape(arch.Arch)}[/]").AddColumn("program");
            for (var i = 0; i < arch.Prefixes.Count; i++) table.AddColumn($"#{i + 1} +{Markup.Escape(Short(arch.Prefixes[i].Step))}");
            table.AddColumn("after patch");
            var verdictChanges = arch.Changes.Where(c => c.Kind != ChangeKind.StartsLoading).ToArray();
            foreach (var c in verdictChanges)
                table.AddRow([Markup.Escape(c.Program), .. c.PerPrefix.Select(v => Markup.Escape(Cell(v))), Markup.Escape(Short(c.ChangedAfter))]);
            if (verdictChanges.Length > 0) console.Write(table);
            else console.MarkupLine($"{Markup.Escape(arch.Arch)}: no verdict flips between the first prefix and the full series.");
            foreach (var group in arch.Changes.Where(c => c.Kind == ChangeKind.StartsLoading).GroupBy(c => c.ChangedAfter))
                console.MarkupLine(Markup.Escape($"{arch.Arch}: {group.Count()} program(s) did not load before {group.Key} "
                                                 + $"(so no verdict to flip), e.g. {group.First().Program}: {group.First().FirstError}"));
            if (arch.NotCompared.Count > 0)
                console.MarkupLine(Markup.Escape($"{arch.Arch}: not compared (no result on the first prefix or the full series): "
                                                 + string.Join(", ", arch.NotCompared.Select(n => $"{n.Program} ({n.Reason})"))));
            console.MarkupLine(Markup.Escape(string.Join("; ", arch.Prefixes.Select((p, i) =>
                $"#{i + 1} +{Short(p.Step)}: {p.Accepted} accepted, {p.Rejected} rejected, {p.Oopsed} oopsed, {p.NotLoaded} did not load{(p.Error is null ? "" : $" ({p.Error})")}"))));
        }
        console.MarkupLine($"Reports: [link]{Markup.Escape(directory)}[/] ({MarkdownFile}, {JsonFile}, prefixes/*/results.json)");
    }

    /// <summary>A prefix's result for one program: a verdict, or "error" when the loader could not load it.</summary>
    private static string Cell(LoadVerdict? verdict) => verdict is null ? "-" : VerdictAttribution.Word(verdict);

    private static string Kind(VerdictAttribution c) => c.Kind switch
    {
        ChangeKind.VerdictFlip => $"flip {c.Flip}",
        ChangeKind.StartsLoading => $"loads from here ({c.Flip})",
        ChangeKind.StartsOopsing => $"oopses the kernel from here ({c.Flip})",
        _ => $"stops loading ({c.Flip})",
    };

    /// <summary>"0003-bpf-add-test-kfuncs..." shortened to its number for column headers.</summary>
    private static string Short(string patch) => patch.Length > 4 && char.IsDigit(patch[0]) ? patch[..4] : patch;
}
