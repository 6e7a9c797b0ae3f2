using Harness.Config;

namespace Harness.Tests.Support;

/// <summary>Expectation overlays for real runs, derived from the project's selftests/expectations.yaml.</summary>
public static class ExpectationOverlays
{
    /// <summary>
    /// selftests/expectations.yaml without the entries of <paramref name="programs"/> (their skips): the programs that
    /// oops the patched kernel (wq_null_map_*) are then loaded like any other.
    /// </summary>
    public static string WithoutSkipsOf(params string[] programs)
    {
        var lines = File.ReadAllLines(Path.Combine(ProjectLayout.Locate().SelftestsDirectory, "expectations.yaml"));
        var kept = new List<string>();
        var dropping = false;
        foreach (var line in lines)
        {
            // An entry starts at two spaces of indentation ("  object:program:"); its body is indented deeper.
            if (line.StartsWith("  ", StringComparison.Ordinal) && !line.StartsWith("   ", StringComparison.Ordinal))
                dropping = programs.Any(p => line.TrimEnd().EndsWith($":{p}:", StringComparison.Ordinal));
            if (!dropping) kept.Add(line);
        }
        return string.Join('\n', kept) + "\n";
    }
}
