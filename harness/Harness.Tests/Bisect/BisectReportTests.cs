using Harness.Bisect;
using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Bisect;

public class BisectReportTests
{
    private static BisectResult Sample() => new()
    {
        RunId = "20261125-041805-bisect",
        Series = "async-kfunc-suffixes",
        Reproduce = "bin/harness bisect --arch x86_64",
        Arches =
        [
            new ArchBisect("x86_64",
                [
                    new BisectPrefix { Step = "0001-prereq.patch", Patches = ["0001-prereq.patch"], NotLoaded = 2 },
                    new BisectPrefix { Step = "0002-kfuncs.patch", Patches = ["0001-prereq.patch", "0002-kfuncs.patch"], Accepted = 1, Rejected = 1 },
                ],
                [
                    new VerdictAttribution
                    {
                        Program = "a.bpf.o:reads_past_end", Kind = ChangeKind.StartsLoading, PerPrefix = [LoadVerdict.Error, LoadVerdict.Reject],
                        ChangedAfter = "0002-kfuncs.patch", FirstError = "libbpf: extern (func ksym) 'bpf_async_test_mem': not found in kernel or module BTFs",
                    },
                ])
            {
                NotCompared = [new NotCompared("a.bpf.o:oopses", "skipped: oopses this kernel")],
            },
        ],
    };

    [Test]
    public void The_markdown_names_the_patch_and_says_why_a_program_did_not_load_instead_of_calling_it_a_flip()
    {
        var markdown = BisectReport.Markdown(Sample());

        Assert.That(markdown, Does.Contain("| `a.bpf.o:reads_past_end` | error | reject | loads from here (error → reject) | `0002-kfuncs.patch` |"));
        Assert.That(markdown, Does.Contain("- `a.bpf.o:reads_past_end`: libbpf: extern (func ksym) 'bpf_async_test_mem': not found in kernel or module BTFs"));
        Assert.That(markdown, Does.Contain("- `a.bpf.o:oopses`: skipped: oopses this kernel"));
        Assert.That(markdown, Does.Not.Contain("| flip "));
    }

    [Test]
    public void Bisect_json_reads_back_what_was_written()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(Sample(), Harness.Reports.ResultsJson.Options);

        var back = BisectReport.Read(json);

        Assert.That(back.Arches[0].Changes[0].ChangedAfter, Is.EqualTo("0002-kfuncs.patch"));
        Assert.That(back.Arches[0].Changes[0].PerPrefix, Is.EqualTo(new LoadVerdict?[] { LoadVerdict.Error, LoadVerdict.Reject }));
        Assert.That(back.Arches[0].NotCompared.Single().Program, Is.EqualTo("a.bpf.o:oopses"));
        Assert.That(json, Does.Contain("\"changed_after\"").And.Contain("\"starts-loading\""));
    }

    private static Harness.Patches.Inputs.SeriesInputReport Input(Harness.Patches.Inputs.SeriesInputKind kind) => new()
    {
        Kind = kind, Source = "/home/me/series.mbox", Directory = "/results/b/series/series",
        Patches =
        [
            new Harness.Patches.Inputs.PatchInputReport { Name = "0001-prereq.patch", Subject = "[PATCH 1/2] bpf: prereq", Message = 2, Applied = Harness.Patches.PatchApplication.Clean },
            new Harness.Patches.Inputs.PatchInputReport { Name = "0002-kfuncs.patch", Subject = "[PATCH 2/2] bpf: a | b", Message = 3, Applied = Harness.Patches.PatchApplication.ThreeWay },
        ],
    };

    [Test]
    public void The_markdown_says_how_each_patch_of_an_mbox_went_in()
    {
        var markdown = BisectReport.Markdown(Sample() with { SeriesInput = Input(Harness.Patches.Inputs.SeriesInputKind.Mbox) });

        Assert.That(markdown, Does.Contain("## Series\n\nmbox `/home/me/series.mbox` split into 2 patch(es) under `/results/b/series/series`."));
        Assert.That(markdown, Does.Contain("| 2 | `0002-kfuncs.patch` | [PATCH 2/2] bpf: a \\| b | 3-way merge |"));
    }

    [Test]
    public void The_markdown_has_no_series_section_for_a_plain_directory()
    {
        var markdown = BisectReport.Markdown(Sample() with { SeriesInput = Input(Harness.Patches.Inputs.SeriesInputKind.Directory) });

        Assert.That(markdown, Does.Not.Contain("## Series"));
    }

    [Test]
    public void Bisect_json_keeps_the_series_input()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(Sample() with { SeriesInput = Input(Harness.Patches.Inputs.SeriesInputKind.Mbox) }, Harness.Reports.ResultsJson.Options);

        var back = BisectReport.Read(json);

        Assert.That(back.SeriesInput!.Patches.Select(p => (p.Name, p.Applied, p.Message)), Is.EqualTo(new[]
        {
            ("0001-prereq.patch", (Harness.Patches.PatchApplication?)Harness.Patches.PatchApplication.Clean, (int?)2),
            ("0002-kfuncs.patch", Harness.Patches.PatchApplication.ThreeWay, 3),
        }));
    }
}
