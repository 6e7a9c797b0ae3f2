using Harness.Patches;
using Harness.Patches.Import;
using Harness.Patches.Inputs;
using Harness.Reports;
using Harness.Tests.Compare;
using Harness.Tests.Patches.Import;

namespace Harness.Tests.Reports;

/// <summary>The series part of summary.md and results.json for an imported archive copy.</summary>
public class SeriesInputReportTests
{
    private static RunResult ImportedRun()
    {
        var imported = PatchImporter.Import(ImportFixtures.Read("bpf-async-kfunc-suffixes.rfc.txt"), ImportFixtures.Tree, "rfc.txt");
        const string name = "0001-bpf-implement-__async-and-__s_async-kfunc-suffixes.patch";
        var input = new SeriesInput(SeriesInputKind.ArchiveCopy, "/home/me/rfc.txt", "ab12", "/results/r/series/rfc",
            [new SeriesInputPatch(name, imported.Messages[0].Subject, 3, 8, 1, 1, imported.Messages[0].Hunks)], ["patches 1/8, 2/8 of the thread are not in the input"]);
        var applied = new AppliedVariant(AppliedVariant.Patched, "c0ffee", "7ree", [new PatchOutcome(name, PatchApplication.Clean, "c0ffee", [], false)]);
        var run = BaselineCostsTests.Run();
        return run with { Inputs = run.Inputs with { SeriesInput = SeriesInputReport.For(input, input.Directory, applied) } };
    }

    [Test]
    public void Summary_lists_each_patch_with_how_it_applied_and_the_importers_hunk_report()
    {
        var markdown = SummaryMarkdown.Render(ImportedRun());

        Assert.Multiple(() =>
        {
            Assert.That(markdown, Does.Contain("## Series\n\nweb archive copy `/home/me/rfc.txt` recovered by the importer into 1 patch(es) under `/results/r/series/rfc`."));
            Assert.That(markdown, Does.Contain("- note: patches 1/8, 2/8 of the thread are not in the input"));
            Assert.That(markdown, Does.Contain("| 1 | `0001-bpf-implement-__async-and-__s_async-kfunc-suffixes.patch` | [PATCH RFC bpf-next 3/8] bpf: implement __async and __s_async kfunc suffixes | " +
                                              "imported (9 hunks re-placed, 9 with offsets (+4..+1119), 9 re-indented, 3 context lines differed), then clean |"));
            Assert.That(markdown, Does.Contain("hunk 3 of kernel/bpf/verifier.c placed at line 10123, offset +574, 2 context lines differed, added lines re-indented"));
        });
    }

    [Test]
    public void Results_json_keeps_the_series_input_through_a_round_trip()
    {
        var run = ImportedRun();

        var back = ResultsJson.Deserialize(ResultsJson.Serialize(run)).Inputs.SeriesInput!;

        Assert.Multiple(() =>
        {
            Assert.That(back.Kind, Is.EqualTo(SeriesInputKind.ArchiveCopy));
            Assert.That(back.Patches.Single().Applied, Is.EqualTo(PatchApplication.Clean));
            Assert.That(back.Patches.Single().How, Is.EqualTo(run.Inputs.SeriesInput!.Patches.Single().How));
            Assert.That(back.Patches.Single().Imported.Select(h => h.PlacedAtLine), Is.EqualTo(new[] { 340, 10112, 10123, 11501, 11656, 12774, 12871, 12941, 17037 }));
            Assert.That(ResultsJson.Serialize(run), Does.Contain("\"kind\": \"archive-copy\""));
        });
    }
}
