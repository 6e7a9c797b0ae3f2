using System.Globalization;
using System.Text;
using Harness.Patches.Inputs;
using Spectre.Console;

namespace Harness.Reports;

/// <summary>The series part of summary.md and of the terminal: what --series was and how each patch applied.</summary>
public static class SeriesInputSummary
{
    public static void AppendMarkdown(StringBuilder md, SeriesInputReport? input)
    {
        if (input is null || input.Patches.Count == 0) return;
        md.Append("## Series\n\n");
        md.Append(CultureInfo.InvariantCulture, $"{Source(input, "`")}.\n\n");
        foreach (var note in input.Notes) md.Append(CultureInfo.InvariantCulture, $"- note: {note}\n");
        if (input.Notes.Count > 0) md.Append('\n');
        md.Append("| # | patch | subject | applied |\n|---:|---|---|---|\n");
        foreach (var (p, i) in input.Patches.Select((p, i) => (p, i + 1)))
            md.Append(CultureInfo.InvariantCulture, $"| {i} | `{p.Name}` | {Cell(p.Subject)} | {Cell(p.How)} |\n");
        md.Append('\n');
        foreach (var p in input.Patches.Where(p => p.Imported.Count > 0))
        {
            md.Append(CultureInfo.InvariantCulture, $"<details><summary>{p.Name}: how the importer placed each hunk</summary>\n\n```\n");
            foreach (var hunk in p.Imported) md.Append(hunk.Describe()).Append('\n');
            md.Append("```\n\n</details>\n\n");
        }
    }

    public static void Write(IAnsiConsole console, SeriesInputReport? input)
    {
        if (input is null || input.Patches.Count == 0) return;
        console.MarkupLine(Markup.Escape($"Series: {Source(input, "")}:"));
        foreach (var note in input.Notes) console.MarkupLine(Markup.Escape($"  note: {note}"));
        foreach (var p in input.Patches)
            console.MarkupLine(Markup.Escape($"  {p.Name}: {p.How}"));
    }

    /// <param name="input">The series input to describe.</param>
    /// <param name="code">"`" for markdown's code spans, "" for the terminal.</param>
    internal static string Source(SeriesInputReport input, string code) => input.Kind switch
    {
        SeriesInputKind.Mbox => $"mbox {code}{input.Source}{code} split into {input.Patches.Count} patch(es) under {code}{input.Directory}{code}",
        SeriesInputKind.ArchiveCopy =>
            $"web archive copy {code}{input.Source}{code} recovered by the importer into {input.Patches.Count} patch(es) under {code}{input.Directory}{code}",
        _ => $"directory {code}{input.Source}{code} ({input.Patches.Count} patch(es))",
    };

    private static string Cell(string s) => s.Replace("|", "\\|").Replace("\n", " ");
}
