using Harness.Reports;
using Harness.Verdicts;
using Spectre.Console;

namespace Harness.Tests.Reports;

/// <summary>A flaky program is listed in every report, with its attempts, and does not fail the run.</summary>
[Category("Faults")]
public class FlakyReportsTests
{
    private const string Reason = "flaky: the result changed between 2 attempts: 1: reject (errno 13) [fail]; 2: accept [pass]";

    /// <summary>The sample run's x86_64 patched kernel alone, with its first program made flaky and the rest as expected.</summary>
    private static RunResult FlakyRun()
    {
        var sample = SampleRun.Build();
        var patched = sample.Runs.Single(r => r.Arch == "x86_64" && r.Kernel == KernelRole.Patched);
        var programs = patched.Programs
            .Select((p, i) => i == 0
                ? p with { Outcome = p.Outcome with { Status = OutcomeStatus.Flaky, Reason = Reason, Attempts = ["reject (errno 13) [fail]", "accept [pass]"] } }
                : p with { Outcome = p.Outcome with { Status = OutcomeStatus.Pass } })
            .ToArray();
        return sample with { Runs = [patched with { Programs = programs }] };
    }

    [Test]
    public void A_flaky_program_does_not_fail_the_run()
    {
        Assert.That(RunExitCode.For(FlakyRun()), Is.EqualTo(Harness.Errors.ExitCodes.Success));
    }

    [Test]
    public void The_summary_lists_flaky_programs_with_every_attempt()
    {
        var md = SummaryMarkdown.Render(FlakyRun());

        Assert.That(md, Does.Contain("all as expected, 1 flaky"));
        Assert.That(md, Does.Contain(", 1 flaky."));
        Assert.That(md, Does.Contain("## Flaky (listed, not counted as failures)"));
        Assert.That(md, Does.Contain("- attempt 1: reject (errno 13) [fail]\n- attempt 2: accept [pass]"));
    }

    [Test]
    public void Junit_shows_a_flaky_program_as_a_passing_case_with_its_attempts()
    {
        var xml = JunitXml.Render(FlakyRun());

        Assert.That(xml, Does.Contain("flaky: " + Reason));
        Assert.That(xml, Does.Contain("attempt 2: accept [pass]"));
        Assert.That(xml, Does.Contain("failures=\"0\"").And.Contain("errors=\"0\""));
    }

    [Test]
    public void Results_json_and_the_console_name_the_flaky_outcome()
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;

        ConsoleSummary.Write(console, FlakyRun());
        var json = ResultsJson.Serialize(FlakyRun());

        Assert.That(text.ToString(), Does.Contain("flaky").And.Contain("1 flaky"));
        Assert.That(json, Does.Contain("\"status\": \"flaky\""));
        Assert.That(ResultsJson.Deserialize(json).Runs[0].Programs[0].Outcome.Attempts, Has.Count.EqualTo(2));
    }
}
