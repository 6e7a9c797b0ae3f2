using System.Text.RegularExpressions;
using Harness.Cli;
using Harness.Errors;
using Harness.Processes;
using Harness.Reports;
using Harness.Reports.Html;
using Harness.Tests.Reports;
using Harness.Tests.Support;
using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.EndToEnd;

/// <summary>
/// report.html of a real run (x86_64, patched and baseline, warm cache) and a two-cell matrix page with a
/// history trend, each loaded in Debian's headless chromium kept off the network. Set
/// HARNESS_KEEP_SCREENSHOT=/some/file.png to keep the matrix page's screenshot.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class HtmlReportEndToEndTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Test, CancelAfter(30 * 60_000)]
    public async Task The_report_of_a_real_run_renders_in_headless_chromium_with_its_failures_logs_and_loads_nothing_but_the_file(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        using var work = new TempDirectory();
        var exitCode = await Program.Main(["run", "--arch", "x86_64", "--output", output.Path]);
        var runDir = Path.Combine(output.Path, ReportWriter.LatestLink);
        var run = ResultsJson.Deserialize(await File.ReadAllTextAsync(Path.Combine(runDir, ReportWriter.ResultsFile), cancellationToken));
        // The baseline kernel fails most __async programs: those are the failures whose logs the page must show.
        var (failedRun, failure) = run.AllPrograms.First(p => p.Program.Outcome.Status == OutcomeStatus.Fail && p.Program.Load is { Log.Length: > 0 });
        var chromium = new HeadlessChromium(new ProcessRunner(), work.Path);
        var page = Path.Combine(runDir, HtmlReport.FileName);
        var png = work.Combine("run.png");

        var shot = await chromium.ScreenshotAsync(page, png, cancellationToken);
        var network = chromium.ReadNetLog();
        var dom = await chromium.DumpDomAsync(page, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(shot.Succeeded, $"{shot.Spec.CommandLine}\n{string.Join('\n', shot.OutputTail)}");
            AssertScreenshot(png);
            AssertOffline(network);
            Assert.That(dom, Does.Contain("<table class=\"matrix\">"));
            // The series as it went in and the baseline → patched cost table, with BaselineCosts' first row.
            Assert.That(dom, Does.Contain("<h3>Series</h3>").And.Contain("<table class=\"series\">"));
            foreach (var patch in run.Inputs.SeriesInput?.Patches ?? [])
                Assert.That(dom, Does.Contain($"<td><code>{DomText(patch.Name)}</code></td>"), patch.Name);
            var cost = Harness.Compare.BaselineCosts.Compare(run, run.Inputs.CostGrowth)[0];
            Assert.That(dom, Does.Contain("<h3>Verification cost (baseline → patched)</h3>"));
            Assert.That(dom, Does.Contain($"<td><code>{DomText(cost.Program)}</code></td><td class=\"num\">{cost.InsnsA}</td><td class=\"num\">{cost.InsnsB}</td>"));
            var row = $"p-run-{failedRun.Arch}-{failedRun.Kernel}-{failure.Key}".ToLowerInvariant().Replace('_', '-').Replace('.', '-').Replace(':', '-');
            var log = Regex.Match(dom, $"<tr class=\"st-fail\" id=\"{row}\">.*?</tr>\\s*<tr class=\"log st-fail\"><td colspan=\"7\"><details class=\"verifier-log\">(.*?)</details>", RegexOptions.Singleline);
            Assert.That(log.Success, $"no <details> log after the row of {failedRun.Name} {failure.Key}");
            foreach (var line in VerifierLog.Lines(failure.Load!.Log).Where(l => l.Text.Length > 0))
                Assert.That(log.Groups[1].Value, Does.Contain(DomText(line.Text)), $"{failedRun.Name} {failure.Key} log line {line.Number}");
            Assert.That(ProcessTable.Containing(chromium.Profile), Is.Empty, "chromium left running");
        });
    }

    [Test, CancelAfter(5 * 60_000)]
    public async Task A_matrix_page_of_two_cells_with_history_renders_its_matrix_trends_and_logs(CancellationToken cancellationToken)
    {
        using var work = new TempDirectory();
        var sample = SampleRun.Build();
        var regressed = RealisticRegression(sample);
        var history = work.Combine("history");
        // Three earlier nights that differ in outcomes and stage times, so the trend has something to show.
        foreach (var (day, run, speed) in new[] { (3, regressed, 1.6), (2, sample, 1.2), (1, regressed, 0.9) })
        {
            var earlier = Slower(run, speed) with { RunId = $"night-{day}", StartedAt = sample.StartedAt.AddDays(-day), FinishedAt = sample.FinishedAt.AddDays(-day) };
            work.Write($"history/nightly/night-{day}.json", ResultsJson.Serialize(earlier));
        }
        var nightly = work.Write("nightly/results.json", ResultsJson.Serialize(sample));
        var other = work.Write("regressed/results.json", ResultsJson.Serialize(regressed));
        var page = work.Combine("matrix.html");
        var exitCode = await Program.Main(["report", $"nightly={nightly}", $"regressed={other}", "--history", history, "--output", page]);
        var chromium = new HeadlessChromium(new ProcessRunner(), work.Path);
        var png = work.Combine("matrix.png");

        var shot = await chromium.ScreenshotAsync(page, png, cancellationToken);
        var network = chromium.ReadNetLog();
        var dom = await chromium.DumpDomAsync(page, cancellationToken);

        if (Environment.GetEnvironmentVariable("HARNESS_KEEP_SCREENSHOT") is { Length: > 0 } keep) File.Copy(png, keep, overwrite: true);
        var matrixRows = Regex.Matches(Regex.Match(dom, "<table class=\"matrix\">.*?</table>", RegexOptions.Singleline).Value, "<tr><th><a href=\"#cell-([a-z0-9-]+)\"");
        var trend = Regex.Match(dom, "<svg class=\"outcomes\" id=\"trend-nightly\".*?</svg>", RegexOptions.Singleline).Value;
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(shot.Succeeded, $"{shot.Spec.CommandLine}\n{string.Join('\n', shot.OutputTail)}");
            AssertScreenshot(png);
            AssertOffline(network);
            Assert.That(matrixRows.Select(m => m.Groups[1].Value), Is.EqualTo(new[] { "nightly", "regressed" }));
            Assert.That(Regex.Matches(trend, "<circle").Count, Is.EqualTo(4 * 7), "3 earlier runs and this one, 7 statuses (flaky and unsupported included)");
            Assert.That(LogBlocks(dom), Has.Some.Contains("R1 pointer &lt;injected&gt; regression"));
            Assert.That(ProcessTable.Containing(chromium.Profile), Is.Empty, "chromium left running");
        });
    }

    [Test, CancelAfter(2 * 60_000)]
    public async Task The_network_check_sees_a_page_that_loads_from_the_web(CancellationToken cancellationToken)
    {
        using var work = new TempDirectory();
        // TEST-NET-1 (RFC 5737): never routed, and the dead proxy takes the request anyway.
        var page = work.Write("leaky.html", "<!DOCTYPE html><html><body><p>leaky</p><img src=\"http://192.0.2.1/pixel.png\"></body></html>");
        var chromium = new HeadlessChromium(new ProcessRunner(), work.Path);

        await chromium.DumpDomAsync(page, cancellationToken);

        Assert.That(chromium.ReadNetLog().PageRequests, Does.Contain("http://192.0.2.1/pixel.png"));
    }

    private static void AssertScreenshot(string png)
    {
        Assert.That(File.Exists(png), $"no screenshot at {png}");
        var bytes = File.ReadAllBytes(png);
        Assert.That(bytes.Take(8), Is.EqualTo(PngSignature));
        // IHDR: width and height, big-endian, right after the signature and the chunk header.
        Assert.That((Be32(bytes, 16), Be32(bytes, 20)), Is.EqualTo((1280, 2000)));
        // A blank 1280x2000 page compresses to a few KB; tables, text and charts do not.
        Assert.That(bytes.Length, Is.GreaterThan(60_000), "the screenshot looks blank");
    }

    private static int Be32(byte[] b, int at) => (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];

    /// <summary>Nothing the page asked for, and nothing at all that left 127.0.0.1.</summary>
    private static void AssertOffline(NetLogSummary network)
    {
        Assert.That(network.PageRequests, Has.All.StartWith("file:"), "the page loaded something that is not a local file");
        Assert.That(network.TcpConnectAttempts, Has.All.StartWith("127.0.0.1:"), "a connection left the host");
        Assert.That(network.UdpDatagramsSent, Is.Zero, "a datagram (DNS?) was sent");
    }

    /// <summary>The contents of every verifier-log &lt;details&gt; in the rendered DOM.</summary>
    private static IReadOnlyList<string> LogBlocks(string dom) =>
        Regex.Matches(dom, "<details class=\"verifier-log\">(.*?)</details>", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToArray();

    /// <summary>Text as chromium serialises it in element content: only &amp;, &lt; and &gt; are escaped.</summary>
    private static string DomText(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static RunResult Slower(RunResult run, double factor) => run with
    {
        Runs = run.Runs.Select(r => r with { Stages = r.Stages.Select(t => t with { Seconds = t.Seconds * factor }).ToArray() }).ToArray(),
    };

    /// <summary>The sample with one passing x86_64 patched program turned into a failure with a log that needs escaping.</summary>
    private static RunResult RealisticRegression(RunResult sample)
    {
        var patched = sample.Runs.Single(r => r.Arch == "x86_64" && r.Kernel == KernelRole.Patched);
        var victim = patched.Programs.First(p => p.Outcome.Status == OutcomeStatus.Pass && p.Load is not null);
        var failed = victim with
        {
            Outcome = victim.Outcome with { Status = OutcomeStatus.Fail, Reason = "expected accept, got reject (13)" },
            Load = victim.Load! with { Verdict = LoadVerdict.Reject, Errno = 13, Log = "0: R1=ctx() R10=fp0\nR1 pointer <injected> regression\n" },
        };
        var runs = sample.Runs.Select(r => r == patched ? r with { Programs = patched.Programs.Select(p => p == victim ? failed : p).ToArray() } : r);
        return sample with { RunId = "20250518-150000", Runs = runs.ToArray() };
    }
}
