using System.Runtime.InteropServices;
using System.Text;

namespace Harness.Reports;

/// <summary>
/// Writes a run's reports into outputRoot/&lt;run id&gt;/ (results.json, junit.xml, summary.md, report.html, and one
/// verifier log file per program under logs/&lt;arch&gt;-&lt;kernel&gt;/) and then points outputRoot/latest at
/// that directory with an atomic rename, so a reader never sees a missing or half-updated "latest".
/// </summary>
public static class ReportWriter
{
    public const string ResultsFile = "results.json";
    public const string JunitFile = "junit.xml";
    public const string SummaryFile = "summary.md";
    public const string LatestLink = "latest";

    /// <summary>Writes the reports and returns the run's directory.</summary>
    public static async Task<string> WriteAsync(RunResult run, string outputRoot, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(outputRoot);
        var dir = UniqueDirectory(outputRoot, run.RunId);
        await WriteIntoAsync(run, dir, cancellationToken);
        return dir;
    }

    /// <summary>
    /// Writes the reports into a run directory that already exists (the one whose logs/ the stages filled),
    /// then points its parent's "latest" at it.
    /// </summary>
    public static async Task WriteIntoAsync(RunResult run, string dir, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(dir);
        var utf8 = new UTF8Encoding(false);
        await File.WriteAllTextAsync(Path.Combine(dir, ResultsFile), ResultsJson.Serialize(run), utf8, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, JunitFile), JunitXml.Render(run), utf8, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, SummaryFile), SummaryMarkdown.Render(run), utf8, cancellationToken);
        await Html.HtmlReport.WriteAsync(Path.Combine(dir, Html.HtmlReport.FileName), [new Html.ReportCell("run", run)], null, cancellationToken);
        foreach (var r in run.Runs)
        {
            var logs = Path.Combine(dir, "logs", $"{r.Arch}-{r.Kernel.ToString().ToLowerInvariant()}");
            foreach (var p in r.Programs.Where(p => p.Load is { Log.Length: > 0 }))
            {
                Directory.CreateDirectory(logs);
                await File.WriteAllTextAsync(Path.Combine(logs, $"{p.Expectation.Object}.{p.Expectation.Program}.log"), p.Load!.Log, utf8, cancellationToken);
            }
        }
        PointLatestAt(Path.GetDirectoryName(Path.GetFullPath(dir))!, Path.GetFileName(dir));
    }

    /// <summary>outputRoot/runId, or runId-2, -3... if a run of the same second already wrote there.</summary>
    private static string UniqueDirectory(string outputRoot, string runId)
    {
        for (var n = 1; ; n++)
        {
            var dir = Path.Combine(outputRoot, n == 1 ? runId : $"{runId}-{n}");
            if (Directory.Exists(dir) || File.Exists(dir)) continue;
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    /// <summary>
    /// A relative symlink made beside "latest" and renamed over it: rename(2) replaces the link in one
    /// step (File.Move refuses when the old link points at a directory).
    /// </summary>
    private static void PointLatestAt(string outputRoot, string runDirectoryName)
    {
        var latest = Path.Combine(outputRoot, LatestLink);
        var temporary = Path.Combine(outputRoot, $".{LatestLink}.{Environment.ProcessId}.tmp");
        if (File.Exists(temporary) || new FileInfo(temporary).LinkTarget is not null) File.Delete(temporary);
        File.CreateSymbolicLink(temporary, runDirectoryName);
        if (Rename(temporary, latest) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            File.Delete(temporary);
            throw new IOException($"cannot point {latest} at {runDirectoryName}: rename failed with errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})");
        }
    }

    // DllImport rather than LibraryImport: the latter needs unsafe code enabled for the whole project.
    // CharSet.Ansi marshals as UTF-8 on Linux.
    [DllImport("libc", EntryPoint = "rename", SetLastError = true, CharSet = CharSet.Ansi)]
    private static extern int Rename(string oldPath, string newPath);
}
