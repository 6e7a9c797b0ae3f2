using Harness.Cli;
using Harness.Compare;
using Harness.Errors;
using Harness.Reports;
using Harness.Tests.Reports;
using Harness.Tests.Support;
using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Cli;

public class CompareCommandTests
{
    /// <summary>The sample run with its first passing x86_64 patched program turned into a failure: an injected regression.</summary>
    private static RunResult WithInjectedFailure(RunResult run)
    {
        var index = run.Runs.ToList().FindIndex(r => r.Name == "x86_64 patched");
        var programs = run.Runs[index].Programs.ToList();
        var pass = programs.FindIndex(p => p.Outcome.Status == OutcomeStatus.Pass);
        programs[pass] = programs[pass] with { Outcome = programs[pass].Outcome with { Status = OutcomeStatus.Fail, Reason = "injected" } };
        var runs = run.Runs.ToList();
        runs[index] = runs[index] with { Programs = programs };
        return run with { RunId = "B", Runs = runs };
    }

    private static async Task<int> CompareAsync(string a, string b, string output, CancellationToken ct) =>
        await CommandCatalog.BuildRoot().Parse(["compare", a, b, "--output", output]).InvokeAsync(cancellationToken: ct);

    [Test, CancelAfter(30_000)]
    public async Task Exits_1_and_lists_the_new_failure_when_run_B_has_a_regression(CancellationToken ct)
    {
        using var dir = new TempDirectory();
        var sample = SampleRun.Build();
        await File.WriteAllTextAsync(dir.Combine("a.json"), ResultsJson.Serialize(sample), ct);
        await File.WriteAllTextAsync(dir.Combine("b.json"), ResultsJson.Serialize(WithInjectedFailure(sample)), ct);

        var exit = await CompareAsync(dir.Combine("a.json"), dir.Combine("b.json"), dir.Path, ct);

        Assert.That(exit, Is.EqualTo(ExitCodes.Mismatch));
        Assert.That(await File.ReadAllTextAsync(dir.Combine(CompareReport.MarkdownFile), ct), Does.Contain("## New failures (1)").And.Contain("| injected |"));
    }

    [Test, CancelAfter(30_000)]
    public async Task Exits_0_when_B_only_fixes_what_A_broke(CancellationToken ct)
    {
        using var dir = new TempDirectory();
        var sample = SampleRun.Build();
        await File.WriteAllTextAsync(dir.Combine("a.json"), ResultsJson.Serialize(WithInjectedFailure(sample)), ct);
        Directory.CreateDirectory(dir.Combine("run-b"));
        await File.WriteAllTextAsync(dir.Combine("run-b", ReportWriter.ResultsFile), ResultsJson.Serialize(sample), ct);

        var exit = await CompareAsync(dir.Combine("a.json"), dir.Combine("run-b"), dir.Path, ct);

        Assert.That(exit, Is.EqualTo(ExitCodes.Success));
        Assert.That(await File.ReadAllTextAsync(dir.Combine(CompareReport.MarkdownFile), ct), Does.Contain("## Fixed (1)"));
    }

    [TestCase("no-such-run", "no-such-run: no results.json there. Give a run directory (e.g. results/latest) or its results.json.")]
    public void Rejects_a_path_without_results(string path, string message)
    {
        var error = Assert.Throws<BadInputException>(() => RunResultFile.Read(path));
        Assert.That(error!.Message, Is.EqualTo(message));
    }
}
