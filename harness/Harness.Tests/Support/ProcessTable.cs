namespace Harness.Tests.Support;

/// <summary>Reads the process table (/proc) to prove nothing was left running.</summary>
public static class ProcessTable
{
    /// <summary>Command lines of live processes containing <paramref name="text"/> (e.g. a test's unique console log path).</summary>
    public static IReadOnlyList<string> Containing(string text) =>
        Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d =>
            {
                try { return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' '); }
                catch (IOException) { return ""; }
                catch (UnauthorizedAccessException) { return ""; }
            })
            .Where(c => c.Contains(text, StringComparison.Ordinal))
            .ToArray();
}
