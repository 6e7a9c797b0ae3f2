using Harness.Bench;
using NUnit.Framework;

namespace Harness.Tests.Bench;

public class BenchReportTests
{
    private static BenchResult Sample() => new()
    {
        StartedAt = new DateTimeOffset(2026, 11, 25, 4, 30, 0, TimeSpan.Zero),
        FinishedAt = new DateTimeOffset(2026, 11, 25, 4, 36, 0, TimeSpan.Zero),
        Machine = "vm, 2 CPUs",
        BootsPerWay = 5,
        Boots =
        [
            new BootBench("x86_64", "tcg", new Spread(2.73, 2.59, 2.87, 5), new Spread(2.5, 2.3, 4.3, 5),
                new Dictionary<string, Spread> { ["kernel"] = new(0.97, 0.9, 1.0, 5), ["ssh-ready"] = new(2.72, 2.58, 2.86, 5) }),
            new BootBench("arm64", "tcg", new Spread(1.10, 1.09, 1.11, 5), new Spread(1.2, 1.1, 1.3, 5), new Dictionary<string, Spread>()),
        ],
        Programs = [new ProgramBench("x86_64", 63, 3.91, 3.66, 15.11)],
        Commands =
        [
            new CommandBench("warm run (everything cached)", "bin/harness run", 30.4, 0, new Dictionary<string, double> { ["x86_64/patched (cached)"] = 0 }, 60),
            new CommandBench("patch-to-verdict (verifier.c touched)", "bin/harness run --config t.yaml", 75.2, 1,
                new Dictionary<string, double> { ["x86_64/patched"] = 19.1 }, 60),
        ],
        Notes = ["Cold kernel and image builds not measured."],
        Failures = ["boot arm64: QEMU exited"],
    };

    [Test]
    public void Bench_json_round_trips_every_figure()
    {
        var result = Sample();

        var back = BenchReport.FromJson(BenchReport.Json(result));

        Assert.That(BenchReport.Json(back), Is.EqualTo(BenchReport.Json(result)));
        Assert.That(back.Boots[0].Harness, Is.EqualTo(result.Boots[0].Harness));
        Assert.That(back.Programs[0], Is.EqualTo(result.Programs[0]));
        Assert.That(back.Commands[1].KernelSeconds["x86_64/patched"], Is.EqualTo(19.1));
    }

    [Test]
    public void Bench_json_names_the_figures_in_camel_case()
    {
        var json = BenchReport.Json(Sample());

        Assert.That(json, Does.Contain("\"bootsPerWay\": 5"));
        Assert.That(json, Does.Contain("\"median\": 2.73"));
        Assert.That(json, Does.Contain("\"overheadMillisecondsPerProgram\""));
    }

    [Test]
    public void The_table_shows_the_boot_ratio_against_its_target()
    {
        var markdown = BenchReport.Markdown(Sample());

        Assert.That(markdown, Does.Contain("| x86_64 | tcg | 2.73 (2.59-2.87) | 2.50 (2.30-4.30) | 1.09x ok | 0.97 | - | - | 2.72 |"));
        Assert.That(markdown, Does.Contain("| arm64 | tcg | 1.10 (1.09-1.11) | 1.20 (1.10-1.30) | 0.92x ok |"));
    }

    [Test]
    public void The_table_shows_per_program_overhead_and_the_plain_loops_extra_cost()
    {
        var markdown = BenchReport.Markdown(Sample());

        Assert.That(markdown, Does.Contain("| x86_64 | 63 | 3.91 | 3.66 | 15.11 | 16.1 | 4.2 | 4.0 ok | 177.8 |"));
    }

    [Test]
    public void A_command_over_its_target_is_marked_missed_with_its_exit_code()
    {
        var markdown = BenchReport.Markdown(Sample());

        Assert.That(markdown, Does.Contain("| patch-to-verdict (verifier.c touched) | 75.2 | < 60 s MISSED | 1 | x86_64/patched 19.1 |"));
        Assert.That(markdown, Does.Contain("| warm run (everything cached) | 30.4 | < 60 s ok | 0 |"));
    }

    [Test]
    public void Steps_that_were_not_measured_are_listed_before_the_notes()
    {
        var markdown = BenchReport.Markdown(Sample());

        Assert.That(markdown, Does.Contain("- NOT MEASURED: boot arm64: QEMU exited\n- Cold kernel and image builds not measured.\n"));
    }
}
