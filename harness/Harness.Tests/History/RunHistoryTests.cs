using Harness.Errors;
using Harness.History;
using Harness.Reports;
using Harness.Tests.Reports;
using Harness.Tests.Support;
using Harness.Verdicts;

namespace Harness.Tests.History;

public class RunHistoryTests
{
    [TestCase(new[] { "20261124-010000-run", "20261125-010000-run", "20261123-230000-run" }, "20261125-020000-run", "20261125-010000-run")]
    [TestCase(new[] { "20261125-010000-matrix", "20261125-020000-matrix" }, "20261125-020000-matrix", "20261125-010000-matrix")]
    [TestCase(new[] { "20261125-030000-matrix" }, "20261125-020000-matrix", null)]
    [TestCase(new string[0], "20261125-020000-run", null)]
    public void The_previous_entry_is_the_latest_run_before_this_one(string[] entries, string current, string? expected) =>
        Assert.That(RunHistory.Previous(entries, current), Is.EqualTo(expected));

    [Test, CancelAfter(30_000)]
    public async Task A_first_run_is_recorded_and_says_there_is_nothing_to_compare_with(CancellationToken cancellationToken)
    {
        using var temp = new TempDirectory();
        var history = new RunHistory(temp.Combine("history"));
        var run = SampleRun.Build() with { RunId = "20261125-010000-run" };
        var dir = temp.Combine("20261125-010000-run");
        await ReportWriter.WriteIntoAsync(run, dir, pointLatest: false, cancellationToken);

        var outcome = await history.CompareAndRecordAsync("run", run, dir, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.PreviousRunId, Is.Null);
            Assert.That(File.Exists(temp.Combine("history", "run", "20261125-010000-run.json")));
            Assert.That(File.ReadAllText(Path.Combine(dir, "summary.md")), Does.Contain("First run of `run`"));
            Assert.That(File.Exists(Path.Combine(dir, "compare.md")), Is.False);
        });
    }

    [Test, CancelAfter(30_000)]
    public async Task A_new_failure_since_the_previous_run_is_a_regression_named_in_compare_md_and_summary_md_and_exits_1(CancellationToken cancellationToken)
    {
        using var temp = new TempDirectory();
        var history = new RunHistory(temp.Combine("history"));
        var before = PatchedOnly(SampleRun.Build()) with { RunId = "20261125-010000-run" };
        await history.RecordAsync("run", before, cancellationToken);
        var after = Break(before, "mem_read_in_bounds") with { RunId = "20261125-020000-run" };
        var dir = temp.Combine(after.RunId);
        await ReportWriter.WriteIntoAsync(after, dir, pointLatest: false, cancellationToken);

        var outcome = await history.CompareAndRecordAsync("run", after, dir, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.PreviousRunId, Is.EqualTo("20261125-010000-run"));
            Assert.That(outcome.Regressions, Has.Count.EqualTo(1));
            Assert.That(outcome.Regressions[0], Does.StartWith("x86_64 `async_mem.bpf.o:mem_read_in_bounds`: new failure (pass/accept → fail/reject)"));
            Assert.That(outcome.ExitCode(ExitCodes.Success), Is.EqualTo(ExitCodes.Mismatch));
            Assert.That(outcome.ExitCode(ExitCodes.InfrastructureError), Is.EqualTo(ExitCodes.InfrastructureError));
            Assert.That(File.ReadAllText(Path.Combine(dir, "compare.md")), Does.Contain("## New failures (1)").And.Contain("mem_read_in_bounds"));
            Assert.That(File.ReadAllText(Path.Combine(dir, "summary.md")), Does.Contain("**1 new regression(s):**").And.Contain("mem_read_in_bounds"));
            Assert.That(history.RunIds("run"), Is.EqualTo(new[] { "20261125-010000-run", "20261125-020000-run" }));
        });
    }

    [Test, CancelAfter(30_000)]
    public async Task The_same_results_again_are_no_regression(CancellationToken cancellationToken)
    {
        using var temp = new TempDirectory();
        var history = new RunHistory(temp.Combine("history"));
        var before = SampleRun.Build() with { RunId = "20261125-010000-run" };
        await history.RecordAsync("run", before, cancellationToken);
        var dir = temp.Combine("again");
        Directory.CreateDirectory(dir);

        var outcome = await history.CompareAndRecordAsync("run", before with { RunId = "20261125-020000-run" }, dir, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.PreviousRunId, Is.EqualTo("20261125-010000-run"));
            Assert.That(outcome.Regressions, Is.Empty);
            Assert.That(outcome.ExitCode(ExitCodes.Success), Is.EqualTo(ExitCodes.Success));
        });
    }

    [Test, CancelAfter(30_000)]
    public async Task An_aborted_run_is_neither_compared_nor_recorded(CancellationToken cancellationToken)
    {
        using var temp = new TempDirectory();
        var history = new RunHistory(temp.Combine("history"));

        var outcome = await history.CompareAndRecordAsync("run", SampleRun.Build() with { Aborted = true }, temp.Path, cancellationToken);

        Assert.That((outcome.PreviousRunId, history.RunIds("run").Count), Is.EqualTo(((string?)null, 0)));
    }

    private static RunResult PatchedOnly(RunResult run) => run with { Runs = run.Runs.Where(r => r.Arch == "x86_64" && r.Kernel == KernelRole.Patched).ToArray() };

    /// <summary>The named program now fails: rejected where it was accepted as expected.</summary>
    private static RunResult Break(RunResult run, string program) => run with
    {
        Runs = run.Runs.Select(r => r with
        {
            Programs = r.Programs.Select(p => p.Expectation.Program != program ? p : p with
            {
                Outcome = p.Outcome with { Status = OutcomeStatus.Fail, Actual = LoadVerdict.Reject, Reason = "expected accept, got reject" },
                Load = p.Load! with { Verdict = LoadVerdict.Reject },
            }).ToArray(),
        }).ToArray(),
    };
}
