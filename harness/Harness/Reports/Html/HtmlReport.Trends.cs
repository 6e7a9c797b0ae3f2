using System.Globalization;
using System.Text;
using Harness.Verdicts;

namespace Harness.Reports.Html;

public static partial class HtmlReport
{
    private const double ChartWidth = 520, ChartHeight = 150, Left = 40, Right = 12, Top = 10, Bottom = 24;

    /// <summary>Colours of the stage bars, by the stage's position in the cell's stage list.</summary>
    private static readonly string[] StagePalette = ["#1565c0", "#00897b", "#f9a825", "#8e24aa", "#6d4c41", "#c2185b", "#546e7a", "#7cb342"];

    private static readonly Dictionary<OutcomeStatus, string> StatusColour = new()
    {
        [OutcomeStatus.Pass] = "#2e7d32", [OutcomeStatus.KnownDeviation] = "#6a4fb3", [OutcomeStatus.Fail] = "#c62828",
        [OutcomeStatus.Error] = "#e65100", [OutcomeStatus.Skip] = "#9e9e9e", [OutcomeStatus.Flaky] = "#f9a825", [OutcomeStatus.Unsupported] = "#78909c",
    };

    /// <summary>The points a cell's trend draws: its history, plus the current run when the history does not hold it yet; oldest first.</summary>
    internal static IReadOnlyList<HistoryPoint> TrendOf(ReportCell cell, IReadOnlyList<HistoryPoint> history)
    {
        var points = history.Where(p => p.Cell == cell.Name).ToList();
        if (points.Count > 0 && cell.Result is { } run && points.All(p => p.RunId != run.RunId)) points.Add(HistoryPoint.From(cell.Name, run));
        return HistoryPoint.Chronological(points);
    }

    private static void Trends(StringBuilder html, IReadOnlyList<ReportCell> cells, IReadOnlyList<HistoryPoint> history)
    {
        html.Append("<section id=\"history\">\n<h2>History</h2>\n");
        if (history.Count == 0)
        {
            html.Append("<p class=\"note\">No history given: the trend needs earlier runs of the cells (a history directory of &lt;cell&gt;/&lt;run-id&gt;.json).</p>\n</section>\n");
            return;
        }
        foreach (var cell in cells)
        {
            var points = TrendOf(cell, history);
            html.Append(CultureInfo.InvariantCulture, $"<h3>{HtmlText.Escape(cell.Name)}</h3>\n");
            if (points.Count == 0) { html.Append("<p class=\"note\">No earlier runs of this cell.</p>\n"); continue; }
            html.Append(CultureInfo.InvariantCulture,
                $"<p class=\"note\">{Count(points.Count, "run", "runs")}, {HtmlText.Escape(points[0].RunId)} … {HtmlText.Escape(points[^1].RunId)}; counts are the patched kernels'.</p>\n");
            OutcomeChart(html, cell, points);
            StageChart(html, cell, points);
        }
        html.Append("</section>\n");
    }

    private static double X(int i, int n) => n == 1 ? Left + (ChartWidth - Left - Right) / 2 : Left + i * (ChartWidth - Left - Right) / (n - 1);

    private static double Y(double value, double max) => ChartHeight - Bottom - value / max * (ChartHeight - Top - Bottom);

    private static string F(double d) => d.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>One line per status, one point per run, each point titled with its run and count.</summary>
    private static void OutcomeChart(StringBuilder html, ReportCell cell, IReadOnlyList<HistoryPoint> points)
    {
        int Value(HistoryPoint p, OutcomeStatus s) => s switch
        {
            OutcomeStatus.Pass => p.Pass, OutcomeStatus.KnownDeviation => p.KnownDeviation, OutcomeStatus.Fail => p.Fail,
            OutcomeStatus.Error => p.Error, OutcomeStatus.Flaky => p.Flaky, OutcomeStatus.Unsupported => p.Unsupported, _ => p.Skip,
        };
        var max = Math.Max(1, points.Max(p => HtmlText.Statuses.Max(s => Value(p, s))));
        html.Append(CultureInfo.InvariantCulture,
            $"<div class=\"trend\"><svg class=\"outcomes\" id=\"{HtmlText.Id("trend", cell.Name)}\" width=\"{F(ChartWidth)}\" height=\"{F(ChartHeight)}\" role=\"img\" aria-label=\"outcomes per run of {HtmlText.Escape(cell.Name)}\">");
        Axes(html, max.ToString(CultureInfo.InvariantCulture), points);
        foreach (var s in HtmlText.Statuses)
        {
            var coords = points.Select((p, i) => $"{F(X(i, points.Count))},{F(Y(Value(p, s), max))}");
            html.Append(CultureInfo.InvariantCulture,
                $"<polyline class=\"series\" data-status=\"{HtmlText.Css(s)}\" fill=\"none\" stroke=\"{StatusColour[s]}\" stroke-width=\"2\" points=\"{string.Join(' ', coords)}\"/>");
            for (var i = 0; i < points.Count; i++)
                html.Append(CultureInfo.InvariantCulture,
                    $"<circle cx=\"{F(X(i, points.Count))}\" cy=\"{F(Y(Value(points[i], s), max))}\" r=\"2.5\" fill=\"{StatusColour[s]}\"><title>{HtmlText.Escape(points[i].RunId)}: {Value(points[i], s)} {HtmlText.Word(s)}</title></circle>");
        }
        html.Append("</svg><div class=\"legend\">");
        foreach (var s in HtmlText.Statuses)
            html.Append(CultureInfo.InvariantCulture, $"<span><span class=\"swatch\" style=\"background:{StatusColour[s]}\"></span>{HtmlText.Word(s)}</span>");
        html.Append("</div></div>\n");
    }

    /// <summary>One stacked bar per run: seconds per stage, summed over the run's arches and kernels.</summary>
    private static void StageChart(StringBuilder html, ReportCell cell, IReadOnlyList<HistoryPoint> points)
    {
        var stages = points.SelectMany(p => p.Stages.Select(s => s.Stage)).Distinct().ToArray();
        var max = Math.Max(0.1, points.Max(p => p.Stages.Sum(s => s.Seconds)));
        var slot = (ChartWidth - Left - Right) / points.Count;
        var width = Math.Min(36, slot * 0.7);
        html.Append(CultureInfo.InvariantCulture,
            $"<div class=\"trend\"><svg class=\"stages\" id=\"{HtmlText.Id("stages", cell.Name)}\" width=\"{F(ChartWidth)}\" height=\"{F(ChartHeight)}\" role=\"img\" aria-label=\"stage seconds per run of {HtmlText.Escape(cell.Name)}\">");
        Axes(html, Seconds(max), points);
        for (var i = 0; i < points.Count; i++)
        {
            var x = Left + slot * i + (slot - width) / 2;
            var bottom = 0.0;
            html.Append(CultureInfo.InvariantCulture, $"<g class=\"bar\" data-run=\"{HtmlText.Escape(points[i].RunId)}\">");
            foreach (var stage in points[i].Stages)
            {
                var colour = StagePalette[Array.IndexOf(stages, stage.Stage) % StagePalette.Length];
                var y = Y(bottom + stage.Seconds, max);
                var height = Y(bottom, max) - y;
                html.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(width)}\" height=\"{F(Math.Max(height, 0))}\" fill=\"{colour}\"><title>{HtmlText.Escape(points[i].RunId)}: {HtmlText.Escape(stage.Stage)} {Seconds(stage.Seconds)}{(stage.Cached ? " (cached)" : "")}</title></rect>");
                bottom += stage.Seconds;
            }
            html.Append("</g>");
        }
        html.Append("</svg><div class=\"legend\">");
        for (var i = 0; i < stages.Length; i++)
            html.Append(CultureInfo.InvariantCulture, $"<span><span class=\"swatch\" style=\"background:{StagePalette[i % StagePalette.Length]}\"></span>{HtmlText.Escape(stages[i])}</span>");
        html.Append("</div></div>\n");
    }

    /// <summary>The y axis with 0 and the maximum, the x axis with the first and last run id.</summary>
    private static void Axes(StringBuilder html, string maxLabel, IReadOnlyList<HistoryPoint> points)
    {
        var baseline = ChartHeight - Bottom;
        html.Append(CultureInfo.InvariantCulture,
            $"<line x1=\"{F(Left)}\" y1=\"{F(Top)}\" x2=\"{F(Left)}\" y2=\"{F(baseline)}\" stroke=\"#90a4ae\"/><line x1=\"{F(Left)}\" y1=\"{F(baseline)}\" x2=\"{F(ChartWidth - Right)}\" y2=\"{F(baseline)}\" stroke=\"#90a4ae\"/>");
        html.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{F(Left - 4)}\" y=\"{F(Top + 8)}\" font-size=\"10\" text-anchor=\"end\">{HtmlText.Escape(maxLabel)}</text><text x=\"{F(Left - 4)}\" y=\"{F(baseline)}\" font-size=\"10\" text-anchor=\"end\">0</text>");
        html.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{F(Left)}\" y=\"{F(ChartHeight - 6)}\" font-size=\"10\">{HtmlText.Escape(points[0].RunId)}</text>");
        if (points.Count > 1)
            html.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{F(ChartWidth - Right)}\" y=\"{F(ChartHeight - 6)}\" font-size=\"10\" text-anchor=\"end\">{HtmlText.Escape(points[^1].RunId)}</text>");
    }
}
