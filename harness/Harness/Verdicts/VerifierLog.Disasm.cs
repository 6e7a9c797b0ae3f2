namespace Harness.Verdicts;

public static partial class VerifierLog
{
    /// <summary>
    /// Matches __xlated/__jited patterns as test_loader's validate_msgs() does: in order, each searched from the end of
    /// the previous match, and a pattern marked <see cref="DisasmPattern.OnNextLine"/> must land on the line right after
    /// the previous match. Null when all match; else what went wrong with the first that did not.
    /// </summary>
    public static string? MatchDisasm(string text, IReadOnlyList<DisasmPattern> patterns)
    {
        var cursor = 0;
        var previousLine = -1;
        for (var i = 0; i < patterns.Count; i++)
        {
            var pattern = patterns[i];
            if (Find(text, pattern.Text, cursor) is not { } hit)
                return $"'{pattern.Text}' (pattern {i + 1} of {patterns.Count}) not found" + (i > 0 ? $" after line {previousLine}" : "");
            var line = LineOf(text, hit.Index);
            if (pattern.OnNextLine && previousLine >= 0 && line != previousLine + 1)
                return $"'{pattern.Text}' (pattern {i + 1} of {patterns.Count}) expected on line {previousLine + 1}, found on line {line}";
            previousLine = line;
            cursor = hit.Index + hit.Length;
        }
        return null;
    }
}
