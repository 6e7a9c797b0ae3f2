using System.Text.Json;
using Harness.Errors;

namespace Harness.Reports.Html;

/// <summary>
/// Reads a history directory as the history writer lays it out: &lt;history-dir&gt;/&lt;cell&gt;/&lt;run-id&gt;.json,
/// each file a copy of that run's results.json. The cell is the directory's name.
/// </summary>
public static class HistoryReader
{
    /// <summary>
    /// Every run of the given cells (every cell directory when <paramref name="cells"/> is null), oldest first
    /// per cell. A missing history directory or cell directory is an empty history, not an error.
    /// </summary>
    public static IReadOnlyList<HistoryPoint> Read(string historyDirectory, IEnumerable<string>? cells = null)
    {
        if (!Directory.Exists(historyDirectory)) return [];
        var names = cells?.ToArray() ?? Directory.GetDirectories(historyDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        var points = new List<HistoryPoint>();
        foreach (var cell in names)
        {
            var dir = Path.Combine(historyDirectory, cell);
            if (!Directory.Exists(dir)) continue;
            var runs = Directory.GetFiles(dir, "*.json").Select(file => HistoryPoint.From(cell, ReadRun(file)));
            points.AddRange(HistoryPoint.Chronological(runs));
        }
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
