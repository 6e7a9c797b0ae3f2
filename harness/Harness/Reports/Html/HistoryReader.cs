using System.Text.Json;
using Harness.Errors;

namespace Harness.Reports.Html;

/// <summary>
/// Reads a history directory as <see cref="History.RunHistory"/> lays it out (&lt;history-dir&gt;/&lt;cell&gt;/&lt;run-id&gt;.json,
/// each file a copy of that run's results.json) into the points of the report's trend.
/// </summary>
public static class HistoryReader
{
    /// <summary>
    /// Every run of the given cells (every cell directory when <paramref name="cells"/> is null), oldest first
    /// per cell. A missing history directory or cell directory is an empty history, not an error.
    /// </summary>
    public static IReadOnlyList<HistoryPoint> Read(string historyDirectory, IEnumerable<string>? cells = null)
    {
        var history = new History.RunHistory(historyDirectory);
        var points = new List<HistoryPoint>();
        foreach (var cell in cells?.ToArray() ?? history.Cells())
            points.AddRange(HistoryPoint.Chronological(history.RunIds(cell).Select(id => HistoryPoint.From(cell, ReadRun(history.EntryFile(cell, id))))));
        return points;
    }

    private static RunResult ReadRun(string file)
    {
        try
        {
            return ResultsJson.Deserialize(File.ReadAllText(file));
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{file}: not a harness results.json ({e.Message}). Remove it from the history directory or replace it with the results.json of that run.");
        }
    }
}
