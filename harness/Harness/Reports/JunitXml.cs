using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Harness.Verdicts;

namespace Harness.Reports;

/// <summary>
/// junit.xml for CI systems: one testsuite per (arch, kernel), one testcase per program. Fail → failure,
/// Error → error, Skip → skipped; a known deviation passes, with its reason in system-out so it is visible.
/// Times are wall seconds: each program's load in the guest (the loader's own clock, fork to reaped child; 0 when
/// the loader did not say), each suite's the load stage; the verifier's figures are the testcase's properties.
/// </summary>
public static class JunitXml
{
    public static string Render(RunResult run)
    {
        var suites = run.Runs.Select(Suite).ToArray();
        var all = run.AllPrograms.Select(p => p.Program.Outcome.Status).ToArray();
        var root = new XElement("testsuites",
            new XAttribute("name", $"harness {run.RunId}"),
            new XAttribute("tests", all.Length),
            new XAttribute("failures", run.AllPrograms.Count(p => p.Run.Kernel == KernelRole.Patched && p.Program.Outcome.Status == OutcomeStatus.Fail)),
            new XAttribute("errors", all.Count(s => s == OutcomeStatus.Error) + run.Runs.Count(r => r.Error is not null && r.Programs.Count == 0)),
            new XAttribute("skipped", all.Count(s => s is OutcomeStatus.Skip or OutcomeStatus.Unsupported)),
            new XAttribute("time", Seconds(run.Runs.Sum(LoadStageUsec))),
            suites);
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings)) new XDocument(root).Save(writer);
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static XElement Suite(ArchRun run)
    {
        var suite = new XElement("testsuite",
            new XAttribute("name", run.Name),
            new XAttribute("tests", run.Programs.Count),
            new XAttribute("failures", run.Kernel == KernelRole.Baseline ? 0 : run.Count(OutcomeStatus.Fail)),
            new XAttribute("errors", run.Count(OutcomeStatus.Error)),
            new XAttribute("skipped", run.Count(OutcomeStatus.Skip) + run.Count(OutcomeStatus.Unsupported)),
            new XAttribute("time", Seconds(LoadStageUsec(run))),
            new XElement("properties",
                new XElement("property", new XAttribute("name", "arch"), new XAttribute("value", run.Arch)),
                new XElement("property", new XAttribute("name", "kernel"), new XAttribute("value", run.Kernel.ToString().ToLowerInvariant())),
                new XElement("property", new XAttribute("name", "kernel_release"), new XAttribute("value", run.KernelRelease)),
                new XElement("property", new XAttribute("name", "accelerator"), new XAttribute("value", run.Accelerator)),
                run.Target is null ? null : new XElement("property", new XAttribute("name", "target"), new XAttribute("value", run.Target))));
        // An arch that died before any program ran still shows up as an error in CI.
        if (run.Error is not null && run.Programs.Count == 0)
        {
            suite.Add(new XElement("testcase", new XAttribute("classname", Class(run, "")), new XAttribute("name", "(infrastructure)"),
                new XElement("error", new XAttribute("message", Clean(run.Error)), new XAttribute("type", "infrastructure"))));
            suite.SetAttributeValue("tests", 1);
            suite.SetAttributeValue("errors", 1);
        }
        suite.Add(run.Programs.Select(p => Case(run, p)));
        return suite;
    }

    private static XElement Case(ArchRun run, ProgramResult p)
    {
        var o = p.Outcome;
        var testcase = new XElement("testcase",
            new XAttribute("classname", Class(run, p.Expectation.Object)),
            new XAttribute("name", p.Expectation.Program),
            new XAttribute("time", Seconds(p.Load?.WallUsec ?? 0)),
            VerifierProperties(p.Load));
        switch (o.Status)
        {
            case OutcomeStatus.Fail when run.Kernel == KernelRole.Baseline:
                // Baselines are not held to the expectations; CI must not go red for the series' effect.
                testcase.Add(new XElement("system-out", Clean($"baseline kernel differs from the expectation (informational): {o.Reason}\n{Details(p)}")));
                break;
            case OutcomeStatus.Fail:
                testcase.Add(new XElement("failure", new XAttribute("message", Clean(o.Reason)), new XAttribute("type", "mismatch"), Clean(Details(p))));
                break;
            case OutcomeStatus.Error:
                testcase.Add(new XElement("error", new XAttribute("message", Clean(o.Reason)), new XAttribute("type", "error"), Clean(Details(p))));
                break;
            case OutcomeStatus.Skip:
                testcase.Add(new XElement("skipped", new XAttribute("message", Clean(o.Reason))));
                break;
            case OutcomeStatus.Unsupported:
                // No verdict: the kernel lacks what the program needs. CI shows it as skipped, with the reason.
                testcase.Add(new XElement("skipped", new XAttribute("message", Clean("unsupported: " + o.Reason))));
                break;
            case OutcomeStatus.Flaky:
                // Listed, not failed: the result changed between attempts, so no verdict counts. flakyFailure is the
                // rerun element of Maven Surefire's format, which Jenkins and GitLab's JUnit readers know.
                testcase.Add(new XElement("flakyFailure", new XAttribute("message", Clean($"flaky: {o.Reason}")), new XAttribute("type", "flaky"),
                    Clean(string.Join('\n', o.Attempts.Select((a, i) => $"attempt {i + 1}: {a}")))));
                testcase.Add(new XElement("system-out", Clean($"flaky: {o.Reason}\n{string.Join('\n', o.Attempts.Select((a, i) => $"attempt {i + 1}: {a}"))}\n{Details(p)}")));
                break;
            case OutcomeStatus.KnownDeviation:
                testcase.Add(new XElement("system-out", Clean($"known-deviation ({o.OverlayLocation}): {o.Reason}\n{Details(p)}")));
                break;
        }
        return testcase;
    }

    /// <summary>Expected vs actual and the relevant log lines, as the body of a failure/error.</summary>
    private static string Details(ProgramResult p)
    {
        var o = p.Outcome;
        var sb = new StringBuilder();
        sb.Append("expected: ").Append(VerdictComparer.Word(o.Expected));
        foreach (var m in o.ExpectedMessages) sb.Append("\n  msg: ").Append(m);
        sb.Append("\nactual: ").Append(p.Load is null ? "(no result)" : VerdictComparer.Describe(p.Load));
        foreach (var m in o.MissingMessages) sb.Append("\nmissing: ").Append(m);
        foreach (var m in o.UnexpectedMessages) sb.Append("\nunwanted: ").Append(m);
        if (o.RelevantLogLines.Count > 0)
        {
            sb.Append("\nverifier log:");
            foreach (var line in o.RelevantLogLines) sb.Append('\n').Append(line);
        }
        return sb.Append('\n').ToString();
    }

    /// <summary>XML 1.0 cannot hold most control characters; a log with one must not break the report.</summary>
    private static string Clean(string s) =>
        string.Concat(s.Select(c => c is '\n' or '\t' or '\r' || (c >= ' ' && !char.IsSurrogate(c) && c != '\uFFFE' && c != '\uFFFF') ? c : '?'));

    private static string Class(ArchRun run, string @object) =>
        $"{run.Arch}.{run.Kernel.ToString().ToLowerInvariant()}" + (@object.Length > 0 ? $".{@object.Replace(".bpf.o", "")}" : "");

    /// <summary>The arch run's load stage (all its programs, guests included) in microseconds; the programs' own wall times where no stage was timed.</summary>
    private static long LoadStageUsec(ArchRun run) =>
        run.Stages.Where(s => s.Stage == "load").Select(s => (long)(s.Seconds * 1_000_000)).DefaultIfEmpty(run.Programs.Sum(p => p.Load?.WallUsec ?? 0)).Sum();

    /// <summary>The verifier's own figures for a program that got to the verifier, as testcase properties (JUnit's time is wall time).</summary>
    private static XElement? VerifierProperties(LoadResult? load) =>
        load is null || load.VerifyUsec < 0 ? null
        : new XElement("properties",
            new[] { ("verify_usec", load.VerifyUsec), ("insns_processed", load.InsnsProcessed), ("peak_states", load.PeakStates), ("total_states", load.TotalStates) }
                .Select(f => new XElement("property", new XAttribute("name", f.Item1), new XAttribute("value", f.Item2))));

    private static string Seconds(long usec) => (usec / 1_000_000.0).ToString("0.000000", CultureInfo.InvariantCulture);
}
