using System.Globalization;
using System.Text;
using Harness.Verdicts;

namespace Harness.Reports.Html;

public static partial class HtmlReport
{
    /// <summary>
    /// One kernel's programs: status, expected, got, message, verification cost. A failure or error is
    /// followed by a row holding why, the expected messages that were missing, the log lines around the
    /// first mismatch and the whole verifier log, folded in a &lt;details&gt;.
    /// </summary>
    private static void Programs(StringBuilder html, ReportCell cell, ArchRun run)
    {
        html.Append(CultureInfo.InvariantCulture,
            $"<h3 id=\"{RunAnchor(cell, run)}\">{HtmlText.Escape(run.Name)} <span class=\"note\">{HtmlText.Escape(run.KernelRelease)} {HtmlText.Escape(run.Target is null ? run.Accelerator : "target: " + run.Target)}</span></h3>\n");
        if (run.Kernel == KernelRole.Baseline)
            html.Append("<p class=\"note\">Baseline kernels are not held to the expectations (they state the patched semantics); their verdicts feed the changes above.</p>\n");
        if (run.Programs.Count == 0)
        {
            html.Append("<p class=\"note\">No program results.</p>\n");
            return;
        }
        html.Append("<table class=\"programs\"><thead><tr><th>status</th><th>program</th><th>expected</th><th>got</th><th>message</th><th class=\"num\">insns</th><th class=\"num\">peak states</th></tr></thead>\n<tbody>\n");
        foreach (var p in run.Programs) Program(html, cell, run, p);
        html.Append("</tbody></table>\n");
    }

    private static void Program(StringBuilder html, ReportCell cell, ArchRun run, ProgramResult p)
    {
        var status = HtmlText.Css(p.Outcome.Status);
        var load = p.Load;
        var got = load is null ? "—" : load.Verdict == LoadVerdict.Accept ? "accept" : $"{load.Verdict.ToString().ToLowerInvariant()} ({load.Errno})";
        var message = load?.ErrorMessage ?? (load is { Error.Length: > 0 } ? load.Error : "");
        var description = p.Expectation.Description is { } d ? $"<br><span class=\"note\">{HtmlText.Escape(d)}</span>" : "";
        var reason = p.Outcome.Reason.Length > 0 ? $"<div class=\"reason\">{HtmlText.Escape(p.Outcome.Reason)}</div>" : "";
        var id = HtmlText.Id("p", cell.Name, run.Arch, HtmlText.Kernel(run.Kernel), p.Key);
        html.Append(CultureInfo.InvariantCulture,
            $"<tr class=\"st-{status}\" id=\"{id}\"><td class=\"status\">{HtmlText.Word(p.Outcome.Status)}</td><td><code>{HtmlText.Escape(p.Key)}</code>{description}</td><td>{Expected(p.Outcome.Expected)}</td><td>{HtmlText.Escape(got)}</td><td>{HtmlText.Escape(message)}{reason}</td><td class=\"num\">{Number(load?.InsnsProcessed)}</td><td class=\"num\">{Number(load?.PeakStates)}</td></tr>\n");
        if (p.Outcome.Status is OutcomeStatus.Fail or OutcomeStatus.Error) Log(html, run, p, status);
    }

    /// <summary>Logs up to this many lines are shown whole.</summary>
    internal const int MaxLogLines = 3000;

    private static Func<int, bool> ShownLines(int count, IReadOnlySet<int> marked)
    {
        if (count <= MaxLogLines) return _ => true;
        const int head = 500, tail = 1500, context = 20;
        return n => n <= head || n > count - tail || marked.Any(m => Math.Abs(m - n) <= context);
    }

    private static void Log(StringBuilder html, ArchRun run, ProgramResult p, string status)
    {
        var log = p.Load?.Log ?? "";
        var lines = VerifierLog.Lines(log);
        html.Append(CultureInfo.InvariantCulture, $"<tr class=\"log st-{status}\"><td colspan=\"7\"><details class=\"verifier-log\"><summary>");
        html.Append(log.Length > 0 ? HtmlText.Escape($"verifier log ({Count(lines.Count, "line", "lines")})") : "no verifier log (the program never reached the verifier)");
        html.Append("</summary>\n");
        if (p.Outcome.Reason.Length > 0) html.Append(CultureInfo.InvariantCulture, $"<p>{HtmlText.Escape(p.Outcome.Reason)}</p>\n");
        List(html, "expected messages not found", p.Outcome.MissingMessages);
        List(html, "messages that must not appear but did", p.Outcome.UnexpectedMessages);
        if (p.Load is { Error.Length: > 0 } load) html.Append(CultureInfo.InvariantCulture, $"<p>loader: {HtmlText.Escape(load.Error)}</p>\n");
        if (log.Length > 0)
        {
            // The log, with the lines the judgement points at marked; a huge one (log_level 2) keeps its head, its
            // tail and the marked lines with some context, and says where the whole of it is.
            var marked = p.Outcome.RelevantLogLines.Select(l => l.Number).ToHashSet();
            var shown = ShownLines(lines.Count, marked);
            html.Append("<pre class=\"log\">");
            var previous = 0;
            foreach (var line in lines.Where(l => shown(l.Number)))
            {
                if (line.Number > previous + 1)
                    html.Append(CultureInfo.InvariantCulture, $"<span class=\"gap\">… {line.Number - previous - 1} lines omitted (the whole log: logs/{HtmlText.Escape($"{run.Arch}-{HtmlText.Kernel(run.Kernel)}/{p.Expectation.Object}.{p.Expectation.Program}")}.log in the run directory) …</span>");
                var text = HtmlText.Escape(line.ToString());
                html.Append(marked.Contains(line.Number) ? $"<span class=\"hit\">{text}</span>" : text + "\n");
                previous = line.Number;
            }
            html.Append("</pre>\n");
        }
        html.Append("</details></td></tr>\n");
    }

    private static void List(StringBuilder html, string title, IReadOnlyList<string> items)
    {
        if (items.Count == 0) return;
        html.Append(CultureInfo.InvariantCulture, $"<p>{title}:</p><ul>");
        foreach (var item in items) html.Append(CultureInfo.InvariantCulture, $"<li><code>{HtmlText.Escape(item)}</code></li>");
        html.Append("</ul>\n");
    }

    private static string Expected(ExpectedVerdict verdict) => verdict switch
    {
        ExpectedVerdict.Failure => "reject",
        _ => "accept",
    };

    private static string Number(long? n) => n is null ? "" : n.Value.ToString(CultureInfo.InvariantCulture);
}
